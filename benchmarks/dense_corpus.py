"""A seeded corpus of application modules that all use the HoneyHive SDK, for `bench_lint.py`.

Every module imports honeyhive and calls `enrich_session`, so the linters' cheap pre-filter lets
every file through and each one must be parsed and walked: the worst case for `honeyhive-lint`.
Modules look like application code: stdlib imports, dataclasses, enums, services, helpers with
loops and error handling, async code, traced functions, tracers created in the usual ways, correct
enrichments, and a few planted HH001/HH002 violations (counted, so the benchmark can check that the
corpus is what it claims). Each package has a `tracing.py` with a shared tracer that a third of its
modules import (`from .tracing import tracer as shared_tracer`): `honeyhive-lint` checks those with
the module's summary, and finds the violations planted on it, which one module alone cannot show.
Sizes are skewed like a real code base: many short modules, a long tail up to MAX_LINES.

    python benchmarks/dense_corpus.py DIR [--files N] [--seed S]   # write a corpus to look at
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flake8_honeyhive.rules import HH001, HH002

__all__ = ["MAX_LINES", "MIN_LINES", "Corpus", "ensure_corpus", "generate"]

MIN_LINES = 50
MAX_LINES = 400
MODULES_PER_PACKAGE = 100
MANIFEST = "manifest.json"
# Each package's shared tracer, imported by some of its modules (not in `Corpus.files`: it names
# no rule token, so the pre-filter skips it; the modules importing it have it summarised).
SHARED_TRACING = (
    '"""The package\'s shared tracer."""\n\n'
    "from honeyhive import HoneyHiveTracer\n\n"
    'tracer = HoneyHiveTracer.init(project="shared")\n'
)
SHARED_IMPORT = "from .tracing import tracer as shared_tracer"

NOUNS = (
    "account", "answer", "audit", "batch", "budget", "cart", "channel", "chat", "claim", "client",
    "comment", "context", "contract", "customer", "dataset", "document", "draft", "email", "event",
    "feedback", "file", "invoice", "item", "job", "ledger", "message", "model", "note", "order",
    "payment", "plan", "policy", "prompt", "quote", "rating", "record", "refund", "report",
    "request", "result", "review", "route", "rule", "schedule", "score", "search", "shipment",
    "summary", "task", "team", "template", "ticket", "token", "topic", "user", "vendor", "window",
)  # fmt: skip
VERBS = (
    "build", "check", "collect", "compute", "convert", "create", "decode", "encode", "enrich",
    "export", "fetch", "filter", "find", "format", "group", "handle", "index", "load", "merge",
    "normalize", "parse", "prepare", "process", "rank", "refresh", "render", "resolve", "route",
    "sanitize", "save", "score", "select", "send", "split", "summarize", "sync", "update",
    "validate",
)  # fmt: skip
ADJECTIVES = (
    "active", "archived", "cached", "current", "default", "draft", "failed", "final", "latest",
    "local", "main", "merged", "new", "pending", "primary", "raw", "recent", "remote", "stale",
)  # fmt: skip
CLASS_SUFFIXES = ("Service", "Repository", "Handler", "Client", "Manager", "Pipeline", "Store")
FIELD_TYPES = (
    ("str", '""'),
    ("int", "0"),
    ("float", "0.0"),
    ("bool", "False"),
    ("list[str]", "field(default_factory=list)"),
    ("dict[str, Any]", "field(default_factory=dict)"),
    ("str | None", "None"),
)
STDLIB_IMPORTS = (
    "import asyncio",
    "import json",
    "import logging",
    "import os",
    "import re",
    "import time",
    "import uuid",
    "from collections import defaultdict",
    "from collections.abc import Iterable, Mapping, Sequence",
    "from dataclasses import dataclass, field",
    "from datetime import datetime, timedelta, timezone",
    "from enum import Enum",
    "from functools import lru_cache",
    "from pathlib import Path",
    "from typing import Any",
)
# How the module reaches the SDK: (import lines, tracer class, decorator, free enrich_session).
SDK_IMPORT_STYLES = (
    (
        ("from honeyhive import HoneyHiveTracer, enrich_session, trace",),
        "HoneyHiveTracer",
        "trace",
        "enrich_session",
    ),
    (
        ("import honeyhive",),
        "honeyhive.HoneyHiveTracer",
        "honeyhive.trace",
        "honeyhive.enrich_session",
    ),
    (("import honeyhive as hh",), "hh.HoneyHiveTracer", "hh.trace", "hh.enrich_session"),
    (
        ("import honeyhive", "from honeyhive.tracer import HoneyHiveTracer, trace"),
        "HoneyHiveTracer",
        "trace",
        "honeyhive.enrich_session",
    ),
)


@dataclass(frozen=True)
class Corpus:
    root: Path
    files: list[Path]
    # Planted violations per rule code: what a correct linter reports on this corpus.
    planted: dict[str, int]
    lines: int
    size_bytes: int


@dataclass
class _Sdk:
    imports: tuple[str, ...]
    tracer_class: str
    decorator: str
    free_enrich: str


@dataclass
class _Module:
    """One module being written: its lines, the names it defined, and what it planted."""

    rng: random.Random
    sdk: _Sdk
    lines: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    functions: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)
    planted: Counter[str] = field(default_factory=Counter)

    def fresh(self, make: Callable[[], str]) -> str:
        """A name from `make` that this module has not used yet."""
        name = make()
        while name in self.used:
            name = f"{make()}_{self.rng.randint(2, 99)}"
        self.used.add(name)
        return name

    def function_name(self) -> str:
        return self.fresh(lambda: f"{self.rng.choice(VERBS)}_{self.rng.choice(NOUNS)}")

    def class_name(self, suffixes: tuple[str, ...] = CLASS_SUFFIXES) -> str:
        return self.fresh(
            lambda: self.rng.choice(NOUNS).title() + self.rng.choice(suffixes),
        )

    def variable(self) -> str:
        return f"{self.rng.choice(ADJECTIVES)}_{self.rng.choice(NOUNS)}"

    def add(self, block: list[str]) -> None:
        self.lines.extend(["", "", *block])


# --- ordinary code ---------------------------------------------------------------------------


def _dataclass(module: _Module) -> list[str]:
    rng = module.rng
    name = module.class_name(("Record", "Config", "Request", "Result", "Event", "Row"))
    module.classes.append(name)
    out = ["@dataclass", f"class {name}:", f'    """A {name.lower()} as the API returns it."""', ""]
    names = rng.sample(NOUNS, rng.randint(3, 9))
    for field_name in names:
        annotation, default = rng.choice(FIELD_TYPES)
        out.append(f"    {field_name}: {annotation} = {default}")
    first = names[0]
    out += [
        "",
        "    def to_dict(self) -> dict[str, Any]:",
        "        return {" + ", ".join(f'"{n}": self.{n}' for n in names) + "}",
        "",
        "    @classmethod",
        f"    def from_dict(cls, data: Mapping[str, Any]) -> {name}:",
        "        known = {key: value for key, value in data.items() if key in cls.__annotations__}",
        "        return cls(**known)",
    ]
    if rng.random() < 0.5:
        out += [
            "",
            "    @property",
            "    def label(self) -> str:",
            f'        return f"{name}({{self.{first}!r}})"',
        ]
    return out


def _enum(module: _Module) -> list[str]:
    rng = module.rng
    name = module.class_name(("Status", "Kind", "Level", "Mode"))
    members = rng.sample(ADJECTIVES, rng.randint(3, 7))
    out = [f"class {name}(str, Enum):"]
    out += [f'    {member.upper()} = "{member}"' for member in members]
    out += [
        "",
        "    @classmethod",
        f"    def parse(cls, raw: str) -> {name}:",
        "        try:",
        "            return cls(raw.strip().lower())",
        "        except ValueError:",
        f"            return cls.{members[0].upper()}",
    ]
    return out


def _helper(module: _Module) -> list[str]:
    rng = module.rng
    name = module.function_name()
    module.functions.append(name)
    item, key = rng.choice(NOUNS), rng.choice(NOUNS)
    limit = rng.choice((10, 25, 50, 100, 500))
    out = [
        f"def {name}({item}s: Iterable[Mapping[str, Any]], limit: int = {limit})"
        " -> list[dict[str, Any]]:",
        f'    """{name.replace("_", " ").capitalize()} for at most `limit` entries."""',
        "    results: list[dict[str, Any]] = []",
        "    seen: set[str] = set()",
        f"    for index, {item} in enumerate({item}s):",
        "        if index >= limit:",
        "            break",
        f'        ident = str({item}.get("id", index))',
        "        if ident in seen:",
        "            continue",
        "        seen.add(ident)",
    ]
    if rng.random() < 0.6:
        out += [
            "        try:",
            f'            value = float({item}.get("{key}", 0))',
            "        except (TypeError, ValueError):",
            f'            logger.warning("bad {key} in %s", ident)',
            "            continue",
        ]
    else:
        out.append(f'        value = len(str({item}.get("{key}", "")))')
    out += [
        f'        results.append({{"id": ident, "{key}": value, "rank": index}})',
    ]
    if rng.random() < 0.5:
        out += [
            f'    results.sort(key=lambda row: (row["{key}"], row["id"]), reverse=True)',
        ]
    out.append("    return results")
    return out


def _text_helper(module: _Module) -> list[str]:
    rng = module.rng
    name = module.function_name()
    module.functions.append(name)
    pattern = rng.choice((r"\s+", r"[^a-z0-9]+", r"\d{4}-\d{2}-\d{2}", r"[A-Z]{2,}"))
    return [
        f'_{name.upper()}_PATTERN = re.compile(r"{pattern}")',
        "",
        "",
        f"def {name}(text: str, *, width: int = {rng.randint(40, 120)}) -> str:",
        f'    cleaned = _{name.upper()}_PATTERN.sub(" ", text).strip()',
        "    if len(cleaned) <= width:",
        "        return cleaned",
        "    words = cleaned.split()",
        "    out: list[str] = []",
        "    total = 0",
        "    for word in words:",
        "        if total + len(word) + 1 > width:",
        "            break",
        "        out.append(word)",
        "        total += len(word) + 1",
        '    return " ".join(out) + "..."',
    ]


def _service(module: _Module) -> list[str]:
    rng = module.rng
    name = module.class_name()
    module.classes.append(name)
    noun = rng.choice(NOUNS)
    out = [
        f"class {name}:",
        f'    """Loads and caches {noun}s for the request handlers."""',
        "",
        f"    def __init__(self, base_url: str, timeout: float = {rng.choice((2.0, 5.0, 10.0))})"
        " -> None:",
        '        self.base_url = base_url.rstrip("/")',
        "        self.timeout = timeout",
        "        self._cache: dict[str, dict[str, Any]] = {}",
        "        self._hits = defaultdict(int)",
    ]
    for _ in range(rng.randint(2, 5)):
        method = module.fresh(lambda: f"{rng.choice(VERBS)}_{rng.choice(NOUNS)}")
        out += [
            "",
            f"    def {method}(self, key: str, *, refresh: bool = False) -> dict[str, Any]:",
            "        if not refresh and key in self._cache:",
            "            self._hits[key] += 1",
            "            return self._cache[key]",
            f'        url = f"{{self.base_url}}/{noun}s/{{key}}"',
            f'        logger.debug("{method} %s", url)',
            '        payload = {"url": url, "fetched_at": time.time(), "timeout": self.timeout}',
            "        self._cache[key] = payload",
            "        return payload",
        ]
    return out


def _async_function(module: _Module) -> list[str]:
    rng = module.rng
    name = module.function_name()
    module.functions.append(name)
    noun = rng.choice(NOUNS)
    return [
        f"async def {name}(ids: Sequence[str], concurrency: int = {rng.randint(2, 16)})"
        " -> dict[str, Any]:",
        "    semaphore = asyncio.Semaphore(concurrency)",
        "",
        "    async def one(ident: str) -> tuple[str, Any]:",
        "        async with semaphore:",
        f"            await asyncio.sleep({rng.choice(('0', '0.01', '0.1'))})",
        f'            return ident, {{"{noun}": ident, "ok": True}}',
        "",
        "    pairs = await asyncio.gather(*(one(ident) for ident in ids))",
        "    return dict(pairs)",
    ]


def _constants(module: _Module) -> list[str]:
    rng = module.rng
    name = module.fresh(lambda: f"{rng.choice(ADJECTIVES).upper()}_{rng.choice(NOUNS).upper()}S")
    keys = rng.sample(NOUNS, rng.randint(3, 8))
    out = [f"{name}: dict[str, int] = {{"]
    out += [f'    "{key}": {rng.randint(1, 1000)},' for key in keys]
    out.append("}")
    return out


# --- SDK usage ---------------------------------------------------------------------------------


def _traced_function(module: _Module) -> list[str]:
    rng = module.rng
    name = module.function_name()
    module.functions.append(name)
    event = rng.choice(("chain", "tool", "model"))
    noun = rng.choice(NOUNS)
    return [
        f'@{module.sdk.decorator}(event_type="{event}")',
        f"def {name}({noun}: dict[str, Any]) -> dict[str, Any]:",
        "    started = datetime.now(timezone.utc)",
        f'    result = {{"{noun}": {noun}, "started": started.isoformat()}}',
        f'    if {noun}.get("priority", 0) > {rng.randint(1, 5)}:',
        '        result["escalated"] = True',
        "    return result",
    ]


def _global_tracer(module: _Module) -> list[str]:
    return [
        "tracer = " + module.sdk.tracer_class + ".init(",
        f'    project="{module.rng.choice(NOUNS)}-service",',
        '    api_key=os.environ.get("HH_API_KEY", ""),',
        '    source=os.environ.get("APP_ENV", "dev"),',
        ")",
    ]


def _enrich_own_session(module: _Module) -> list[str]:
    """The correct enrichment of the module tracer's own session."""
    name = module.function_name()
    module.functions.append(name)
    noun = module.rng.choice(NOUNS)
    return [
        f"def {name}(user_id: str, {noun}_count: int) -> None:",
        f'    tracer.enrich_session(metadata={{"user_id": user_id, "{noun}_count": {noun}_count}})',
    ]


def _enrich_by_id(module: _Module) -> list[str]:
    """The free function: enriching any session by id is never reported."""
    name = module.function_name()
    module.functions.append(name)
    return [
        f'def {name}(session_id: str, score: int, comment: str = "") -> None:',
        "    if not 0 <= score <= 5:",
        '        raise ValueError(f"score out of range: {score}")',
        f"    {module.sdk.free_enrich}(session_id, "
        'feedback={"score": score, "comment": comment})',
    ]


def _session_per_request(module: _Module) -> list[str]:
    """One tracer per request, bound to its session at creation: the recommended pattern."""
    name = module.function_name()
    module.functions.append(name)
    return [
        f"def {name}(request: Mapping[str, Any]) -> str:",
        '    session_id = str(request.get("session_id") or uuid.uuid4())',
        f"    with {module.sdk.tracer_class}.init(",
        f'        project="{module.rng.choice(NOUNS)}-bot", session_id=session_id',
        "    ) as request_tracer:",
        '        answer = str(request.get("message", "")).strip()',
        '        request_tracer.enrich_session(outputs={"answer": answer})',
        "    return answer",
    ]


def _traced_service(module: _Module) -> list[str]:
    """A class holding its tracer; sometimes planting a legacy session switch (HH002)."""
    rng = module.rng
    name = module.class_name(("Agent", "Assistant", "Worker"))
    module.classes.append(name)
    out = [
        f"class {name}:",
        "    def __init__(self, project: str) -> None:",
        f"        self.tracer = {module.sdk.tracer_class}.init(project=project)",
        "        self.turns = 0",
        "",
        "    def reply(self, message: str) -> str:",
        "        self.turns += 1",
        '        self.tracer.enrich_session(metadata={"turns": self.turns})',
        "        return message[::-1]",
    ]
    if rng.random() < 0.3:
        out += [
            "",
            "    def restart(self) -> None:",
            "        self.turns = 0",
            "        self.tracer.create_session()",
        ]
        module.planted[HH002.code] += 1
    return out


def _own_enrich_class(module: _Module) -> list[str]:
    """A class of the module's own with an `enrich_session` method: never reported."""
    name = module.class_name(("Store", "Registry"))
    module.classes.append(name)
    helper = module.function_name()
    module.functions.append(helper)
    return [
        f"class {name}:",
        "    def __init__(self) -> None:",
        "        self.sessions: dict[str, dict[str, Any]] = {}",
        "",
        "    def enrich_session(self, session_id: str, **fields: Any) -> None:",
        "        self.sessions.setdefault(session_id, {}).update(fields)",
        "",
        "",
        f"def {helper}(session_id: str) -> None:",
        f"    store = {name}()",
        '    store.enrich_session(session_id=session_id, status="seen")',
    ]


def _shared_tracer_use(module: _Module) -> list[str]:
    """The package's shared tracer, imported from `tracing.py`: enriched correctly, and in one
    module out of three, switched to a new session (HH002, found only across modules)."""
    name = module.fresh(module.function_name)
    block = [
        f"def {name}(user_id: str) -> None:",
        '    shared_tracer.enrich_session(metadata={"user_id": user_id})',
    ]
    if module.rng.random() < 1 / 3:
        block.append("    shared_tracer.create_session()")
        module.planted[HH002.code] += 1
    return block


def _violation(module: _Module) -> list[str]:
    """One planted violation of the module tracer, of a random kind."""
    rng = module.rng
    name = module.function_name()
    module.functions.append(name)
    kind = rng.randrange(4)
    if kind == 0:
        module.planted[HH001.code] += 1
        return [
            f"def {name}(session_id: str, rating: int) -> None:",
            '    tracer.enrich_session(session_id=session_id, feedback={"rating": rating})',
        ]
    if kind == 1:
        module.planted[HH001.code] += 1
        return [
            f"def {name}(user_session_id: str) -> None:",
            '    tracer.enrich_session(user_session_id, {"resumed": True})',
        ]
    if kind == 2:
        module.planted[HH002.code] += 1
        return [
            f'@{module.sdk.decorator}(event_type="chain", session_id=DEFAULT_SESSION)',
            f"def {name}(question: str) -> str:",
            "    return question.upper()",
        ]
    module.planted[HH002.code] += 1
    return [
        f"def {name}(new_session_id: str) -> None:",
        '    logger.info("switching session")',
        "    tracer.session_id = new_session_id",
    ]


ORDINARY = (_dataclass, _enum, _helper, _text_helper, _service, _async_function, _constants)
ORDINARY_WEIGHTS = (3, 1, 4, 2, 3, 2, 1)
SDK_BLOCKS = (_traced_function, _enrich_own_session, _enrich_by_id, _session_per_request)
SDK_WEIGHTS = (4, 2, 1, 2)
RARE_BLOCKS = (_traced_service, _own_enrich_class)


def _module_source(rng: random.Random, index: int) -> tuple[str, Counter[str]]:
    imports, tracer_class, decorator, free_enrich = rng.choice(SDK_IMPORT_STYLES)
    module = _Module(rng, _Sdk(imports, tracer_class, decorator, free_enrich))
    # Skewed sizes: most modules are short, a few approach MAX_LINES.
    target = MIN_LINES + int((MAX_LINES - MIN_LINES) * rng.random() ** 1.7)
    shared = rng.random() < 0.3
    module.lines += [
        f'"""{rng.choice(NOUNS).title()} {rng.choice(NOUNS)} module {index} of the sample app."""',
        "",
        "from __future__ import annotations",
        "",
        *STDLIB_IMPORTS,
        "",
        *imports,
        "",
        f"from .{rng.choice(NOUNS)}s import {rng.choice(NOUNS).title()}Record",
        *([SHARED_IMPORT] if shared else []),
        "",
        "logger = logging.getLogger(__name__)",
        f'DEFAULT_SESSION = os.environ.get("HH_SESSION", "{uuid_for(rng)}")',
        "",
    ]
    module.lines += _global_tracer(module)
    module.add(_enrich_own_session(module))  # every module must reach the parser
    if shared:
        module.add(_shared_tracer_use(module))
    if rng.random() < 0.25:
        module.add(rng.choice(RARE_BLOCKS)(module))
    if rng.random() < 0.2:
        module.add(_violation(module))
    while len(module.lines) < target:
        if rng.random() < 0.3:
            block = rng.choices(SDK_BLOCKS, SDK_WEIGHTS)[0](module)
        else:
            block = rng.choices(ORDINARY, ORDINARY_WEIGHTS)[0](module)
        if len(module.lines) + len(block) + 2 > MAX_LINES - 6:
            break
        module.add(block)
    if rng.random() < 0.3 and module.functions:
        module.add(
            [
                'if __name__ == "__main__":',
                "    logging.basicConfig(level=logging.INFO)",
                f"    print({rng.choice(module.functions)}.__name__)",
            ]
        )
    return "\n".join(module.lines) + "\n", module.planted


def uuid_for(rng: random.Random) -> str:
    parts = [rng.getrandbits(bits) for bits in (32, 16, 12, 16, 48)]
    return f"{parts[0]:08x}-{parts[1]:04x}-4{parts[2]:03x}-{parts[3]:04x}-{parts[4]:012x}"


def generate(root: Path, files: int, seed: int) -> Corpus:
    """Write `files` modules under `root` (replacing it), in packages of MODULES_PER_PACKAGE."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    planted: Counter[str] = Counter()
    paths: list[Path] = []
    lines = size = 0
    for index in range(files):
        package = root / "app" / f"pkg_{index // MODULES_PER_PACKAGE:03d}"
        if index % MODULES_PER_PACKAGE == 0:
            package.mkdir(parents=True)
            (package / "__init__.py").write_text(f'"""Package {package.name}."""\n')
            (package / "tracing.py").write_text(SHARED_TRACING)
        source, module_planted = _module_source(rng, index)
        path = package / f"{rng.choice(NOUNS)}_{index:05d}.py"
        path.write_text(source)
        planted.update(module_planted)
        paths.append(path)
        lines += source.count("\n")
        size += len(source)
    corpus = Corpus(root, paths, dict(planted), lines, size)
    manifest = {
        "files": [str(path.relative_to(root)) for path in paths],
        "planted": corpus.planted,
        "lines": lines,
        "size_bytes": size,
    }
    (root / MANIFEST).write_text(json.dumps(manifest))  # written last: marks a complete corpus
    return corpus


def generator_digest() -> str:
    """Changes whenever this generator changes, so that a cached corpus is never stale."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


def ensure_corpus(cache_dir: Path, files: int, seed: int) -> Corpus:
    """The corpus for (`files`, `seed`) under `cache_dir`, generated only if not cached yet."""
    root = cache_dir / f"dense-{files}-{seed}-{generator_digest()}"
    manifest_path = root / MANIFEST
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text())
        paths = [root / name for name in manifest["files"]]
        if all(path.is_file() for path in paths):
            return Corpus(
                root, paths, manifest["planted"], manifest["lines"], manifest["size_bytes"]
            )
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Corpora from earlier versions of this generator are never read again.
    for stale in cache_dir.glob(f"dense-{files}-{seed}-*"):
        if stale != root and stale.is_dir():
            shutil.rmtree(stale)
    return generate(root, files, seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2)
    arguments = parser.parse_args()
    corpus = generate(arguments.directory, arguments.files, arguments.seed)
    print(
        f"{len(corpus.files)} modules, {corpus.lines} lines, {corpus.size_bytes / 1e6:.1f} MB, "
        f"planted {corpus.planted} under {os.fspath(corpus.root)}"
    )


if __name__ == "__main__":
    main()
