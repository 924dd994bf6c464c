"""Reading the files to check: at most once, and not at all while `os.stat` shows one unchanged.

What the run needs from a file's bytes before parsing it (its digest, the cache's key, and the
pre-filters' answers) are its *facts*. With a cache, they are kept by the file's stat signature
(see `cache`), as ruff trusts an unchanged file's modification time: a warm run over an unchanged
tree stats each file and reads only those it must check, summarise or show.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, MutableMapping
from stat import S_ISREG
from typing import Final

from flake8_honeyhive.cli.cache import Cache, Signature, digest
from flake8_honeyhive.cli.lint import names_hh_in_noqa
from flake8_honeyhive.prefilter import could_have_findings, mentions_honeyhive
from flake8_honeyhive.rules import HH100

__all__ = ["Reader", "SourceFile", "Sources", "read_source"]

# The pre-filters' answers, as bits: `could_have_findings(anywhere=True)`, the same without
# `anywhere`, `mentions_honeyhive`, and `names_hh_in_noqa`. The last is asked only when HH100 (an
# opt-in rule) is enabled and the file is not checked anyway; HH_NOQA_ASKED says it was.
ANYWHERE: Final = 1
LOCAL: Final = 2
HONEYHIVE: Final = 4
HH_NOQA: Final = 8
HH_NOQA_ASKED: Final = 16
# A file changed this recently may change again within the same tick of the file system's clock,
# keeping its signature: its facts are not kept (it is read again next time).
_RACY_NS: Final = 1_000_000_000


def read_source(path: str) -> tuple[bytes, Signature | None]:
    """A file's bytes and its signature when opened: one `open`, `fstat` and usually one `read`
    (a third cheaper than `open(path, "rb").read()`, which makes a file object and buffers)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        stat = os.fstat(descriptor)
        source = os.read(descriptor, stat.st_size + 1)
        if len(source) > stat.st_size:  # it grew since, or is no regular file: read to the end
            chunks = [source]
            while chunk := os.read(descriptor, 1 << 20):
                chunks.append(chunk)
            source = b"".join(chunks)
    finally:
        os.close(descriptor)
    return source, signature(stat)


def signature(stat: os.stat_result) -> Signature | None:
    """None for what is not a regular file (a pipe): its content is not known from its stat."""
    if not S_ISREG(stat.st_mode):
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def facts_of(source: bytes) -> int:
    flags = 0
    if could_have_findings(source, anywhere=True):
        flags |= ANYWHERE
        if could_have_findings(source):
            flags |= LOCAL
    if mentions_honeyhive(source):
        flags |= HONEYHIVE
    return flags


class SourceFile:
    """A file to check: its facts, and its bytes, read when first needed."""

    __slots__ = ("_source", "flags", "known_digest", "path", "reader", "signature", "stale")

    def __init__(
        self,
        path: str,
        flags: int,
        *,
        source: bytes | None = None,
        source_digest: bytes | None = None,
        stat: Signature | None = None,
        reader: Reader | None = None,
    ) -> None:
        self.path = path
        self.flags = flags
        self._source = source
        self.known_digest = source_digest  # None until needed
        self.signature = stat
        self.reader = reader
        self.stale = False  # changed between its stat and its reading: facts recomputed

    @classmethod
    def of(cls, path: str, source: bytes) -> SourceFile:
        """Bytes not read from `path` (standard input, an editor's buffer)."""
        return cls(path, facts_of(source), source=source)

    @property
    def source(self) -> bytes:
        if self._source is None:
            assert self.reader is not None  # only a file read from disk starts without its bytes
            source, stat = self.reader.read(self.path)
            if stat != self.signature:
                self.stale = True
                self.flags, self.known_digest, self.signature = facts_of(source), None, stat
            self._source = source
            self.reader.remember(self)
        return self._source

    @property
    def digest(self) -> bytes:
        if self.known_digest is None:
            self.known_digest = digest(self.source)
            if self.reader is not None:
                self.reader.remember(self)
        return self.known_digest

    @property
    def anywhere(self) -> bool:
        """`could_have_findings(source, anywhere=True)`."""
        return bool(self.flags & ANYWHERE)

    @property
    def names_honeyhive(self) -> bool:
        return bool(self.flags & HONEYHIVE)

    def needs_checking(self, enabled: frozenset[str], *, anywhere: bool = False) -> bool:
        """`lint.needs_checking` of its bytes."""
        if self.flags & (ANYWHERE if anywhere else LOCAL):
            return True
        if HH100.code not in enabled:
            return False
        if not self.flags & HH_NOQA_ASKED:
            source = self.source  # reading it may find it changed, with new facts
            if self.flags & (ANYWHERE if anywhere else LOCAL):
                return True
            self.flags |= HH_NOQA_ASKED | (HH_NOQA if names_hh_in_noqa(source) else 0)
            if self.reader is not None:
                self.reader.remember(self)
        return bool(self.flags & HH_NOQA)

    def unchanged_source(self) -> bytes | None:
        """Its bytes, as they were checked; None if unreadable or changed since."""
        if self._source is not None:
            return self._source
        try:
            source, stat = read_source(self.path)
        except OSError:
            return None
        if (stat is not None and stat == self.signature) or (
            self.known_digest is not None and digest(source) == self.known_digest
        ):
            return source
        return None


class Reader:
    """Opens the files of a run: a file whose stat signature is that of its facts in the cache is
    not read until its bytes are needed (to check or summarise it)."""

    __slots__ = ("cache", "files_read")

    def __init__(self, cache: Cache | None) -> None:
        self.cache = cache
        self.files_read = 0

    def open(self, path: str) -> SourceFile:
        if self.cache is not None:
            stat = signature(os.stat(path))
            known = self.cache.facts(path, stat) if stat is not None else None
            if known is not None:
                source_digest, flags = known
                return SourceFile(path, flags, source_digest=source_digest, stat=stat, reader=self)
        source, stat = self.read(path)
        file = SourceFile(path, facts_of(source), source=source, stat=stat, reader=self)
        self.remember(file)
        return file

    def read(self, path: str) -> tuple[bytes, Signature | None]:
        found = read_source(path)
        self.files_read += 1
        return found

    def remember(self, file: SourceFile) -> None:
        """Keep a file's facts in the cache, unless it changed too recently to trust its stat."""
        if self.cache is None or file.signature is None:
            return
        if time.time_ns() - file.signature[2] >= _RACY_NS:
            self.cache.put_facts(file.path, file.signature, file.known_digest, file.flags)


class Sources(MutableMapping[str, bytes]):
    """The bytes of the checked files, for the output formats that show source lines. A file
    taken from the cache is read only if asked for (it has diagnostics to show), and is missing
    if it changed since it was checked."""

    def __init__(self) -> None:
        self._read: dict[str, bytes] = {}
        self._deferred: dict[str, SourceFile] = {}

    def defer(self, file: SourceFile) -> None:
        self._deferred[file.path] = file

    def __getitem__(self, path: str) -> bytes:
        found = self._read.get(path)
        if found is None:
            source = self._deferred.pop(path).unchanged_source()  # KeyError: never checked
            if source is None:
                raise KeyError(path)
            found = self._read[path] = source
        return found

    def __setitem__(self, path: str, source: bytes) -> None:
        self._read[path] = source
        self._deferred.pop(path, None)

    def __delitem__(self, path: str) -> None:
        if self._read.pop(path, None) is None and self._deferred.pop(path, None) is None:
            raise KeyError(path)

    def __iter__(self) -> Iterator[str]:
        return iter({**self._deferred, **self._read})

    def __len__(self) -> int:
        return len(self._deferred.keys() | self._read.keys())
