"""Resolve a tracer's settings from its arguments, 1.7 config objects and ``HH_*`` variables.

Precedence for every setting: an explicit argument (not ``None``), then a 1.7 config object
(``config=``, ``session_config=``, ``evaluation_config=``), then the environment, then the default.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import requests
    from opentelemetry.sdk.trace.export import SpanExporter

DEFAULT_SERVER_URL: Final = "https://api.honeyhive.ai"
DEFAULT_SOURCE: Final = "dev"

ENV_API_KEY: Final = "HH_API_KEY"
ENV_PROJECT: Final = "HH_PROJECT"
ENV_SOURCE: Final = "HH_SOURCE"
ENV_SERVER_URL: Final = "HH_API_URL"
ENV_TEST_MODE: Final = "HH_TEST_MODE"
ENV_DISABLE_BATCH: Final = "HH_DISABLE_BATCH"
ENV_VERBOSE: Final = "HH_VERBOSE"
ENV_STRICT: Final = "HH_STRICT"

_TRUE: Final = frozenset({"true", "1", "yes", "on"})
_FALSE: Final = frozenset({"false", "0", "no", "off", ""})

# Fields a 1.7 config object (pydantic ``TracerConfig``/``SessionConfig``/``EvaluationConfig``, or
# any object or mapping with these names) may carry. Read by name, so pydantic is not needed.
CONFIG_OBJECT_FIELDS: Final = (
    "api_key",
    "project",
    "session_name",
    "source",
    "server_url",
    "session_id",
    "inputs",
    "metadata",
    "disable_batch",
    "verbose",
    "test_mode",
    "disable_http_tracing",
    "run_id",
    "dataset_id",
    "datapoint_id",
    "link_carrier",
    "is_evaluation",
)


def env_flag(name: str) -> bool | None:
    """A boolean environment variable: true/1/yes/on or false/0/no/off, any case; unset is None."""
    raw = os.environ.get(name)
    if raw is None:
        return None
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(
        f"environment variable {name}={raw!r} is not a boolean: use true/false, 1/0 or yes/no"
    )


def env_text(name: str) -> str | None:
    """A text environment variable; unset or blank is None."""
    raw = os.environ.get(name)
    if raw is None:
        return None
    value = raw.strip()
    return value or None


def normalize_session_id(value: object) -> str:
    """The canonical, lower-cased form of a session id; ``ValueError`` naming a non-UUID value."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value.strip()))
        except ValueError:
            pass
    raise ValueError(f"session_id {value!r} is not a UUID; pass a UUID such as str(uuid.uuid4())")


def normalize_server_url(value: str) -> str:
    """``server_url`` without a trailing slash; ``ValueError`` unless it is an http(s) URL."""
    url = value.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"server_url {value!r} is not an http:// or https:// URL")
    return url


@dataclass(frozen=True, slots=True)
class DestinationSettings:
    """Everything that decides where and how a tracer's data goes; tracers that agree share it."""

    api_key: str | None
    server_url: str
    source: str
    test_mode: bool
    disable_batch: bool
    exporter: SpanExporter | None
    requests_session: requests.Session | None

    @property
    def uses_network(self) -> bool:
        """Whether the REST calls (session start, enrichment) go to the server."""
        return self.api_key is not None and not self.test_mode

    @property
    def offline(self) -> bool:
        """No key, no exporter, no test mode: nothing to send and nowhere to send it."""
        return self.api_key is None and self.exporter is None and not self.test_mode

    def key(self) -> tuple[object, ...]:
        """The shared-pipeline key. Holds the key in memory only; never logged or shown."""
        return (
            self.server_url,
            self.api_key,
            self.source,
            self.test_mode,
            self.disable_batch,
            None if self.exporter is None else id(self.exporter),
            None if self.requests_session is None else id(self.requests_session),
        )

    def __repr__(self) -> str:
        # Never show the API key.
        return (
            f"DestinationSettings(server_url={self.server_url!r}, source={self.source!r}, "
            f"test_mode={self.test_mode}, disable_batch={self.disable_batch}, "
            f"has_api_key={self.api_key is not None}, exporter={self.exporter!r})"
        )


@dataclass(frozen=True, slots=True)
class TracerSettings:
    """A tracer's resolved settings, shared unchanged by the tracers its legacy methods start."""

    destination: DestinationSettings
    project: str | None
    verbose: bool
    strict: bool
    disable_http_tracing: bool
    run_id: str | None
    dataset_id: str | None
    datapoint_id: str | None
    is_evaluation: bool

    def __repr__(self) -> str:
        return (
            f"TracerSettings(project={self.project!r}, destination={self.destination!r}, "
            f"strict={self.strict})"
        )


def read_config_objects(*objects: object) -> dict[str, Any]:
    """The non-None fields of 1.7 config objects (pydantic models, plain objects or mappings)."""
    values: dict[str, Any] = {}
    for obj in objects:
        if obj is None:
            continue
        for name in CONFIG_OBJECT_FIELDS:
            if name in values:
                continue
            value = obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)
            if value is not None:
                values[name] = value
    return values


def optional_text(name: str, value: object) -> str | None:
    """``value`` if it is a str or None; a ``TypeError`` naming the argument otherwise."""
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"{name} must be a str, not {type(value).__name__}")


def _flag(name: str, value: object, env: str | None, default: bool) -> bool:
    if value is not None:
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be a bool, not {type(value).__name__}")
        return value
    if env is not None:
        from_env = env_flag(env)
        if from_env is not None:
            return from_env
    return default


def optional_mapping(name: str, value: object) -> Mapping[str, Any] | None:
    """``value`` if it is a mapping or None; a ``TypeError`` naming the argument otherwise."""
    if value is None or isinstance(value, Mapping):
        return value
    raise TypeError(f"{name} must be a dict, not {type(value).__name__}")


def resolve_settings(arguments: Mapping[str, Any], exporter: SpanExporter | None) -> TracerSettings:
    """Merge explicit arguments (``None`` = not given) with the environment and the defaults."""
    if exporter is not None and not callable(getattr(exporter, "export", None)):
        raise TypeError(
            f"exporter must be an OpenTelemetry SpanExporter, not {type(exporter).__name__}"
        )
    api_key = optional_text(
        "ingestion_api_key", arguments.get("ingestion_api_key")
    ) or optional_text("api_key", arguments.get("api_key"))
    api_key = (api_key.strip() or None) if api_key is not None else env_text(ENV_API_KEY)
    server_url = optional_text("server_url", arguments.get("server_url")) or env_text(
        ENV_SERVER_URL
    )
    source = (
        optional_text("source", arguments.get("source")) or env_text(ENV_SOURCE) or DEFAULT_SOURCE
    )
    requests_session = arguments.get("requests_session")
    destination = DestinationSettings(
        api_key=api_key,
        server_url=normalize_server_url(server_url or DEFAULT_SERVER_URL),
        source=source,
        test_mode=_flag("test_mode", arguments.get("test_mode"), ENV_TEST_MODE, False),
        disable_batch=_flag(
            "disable_batch", arguments.get("disable_batch"), ENV_DISABLE_BATCH, False
        ),
        exporter=exporter,
        requests_session=requests_session,
    )
    run_id = optional_text("run_id", arguments.get("run_id"))
    dataset_id = optional_text("dataset_id", arguments.get("dataset_id"))
    datapoint_id = optional_text("datapoint_id", arguments.get("datapoint_id"))
    is_evaluation = _flag("is_evaluation", arguments.get("is_evaluation"), None, False) or bool(
        run_id and dataset_id and datapoint_id
    )
    return TracerSettings(
        destination=destination,
        project=optional_text("project", arguments.get("project")) or env_text(ENV_PROJECT),
        verbose=_flag("verbose", arguments.get("verbose"), ENV_VERBOSE, False),
        strict=_flag("strict", arguments.get("strict"), ENV_STRICT, False),
        disable_http_tracing=_flag(
            "disable_http_tracing", arguments.get("disable_http_tracing"), None, False
        ),
        run_id=run_id,
        dataset_id=dataset_id,
        datapoint_id=datapoint_id,
        is_evaluation=is_evaluation,
    )
