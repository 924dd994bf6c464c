"""BLAKE2b, the hash of the cache's keys, without `hashlib`.

`hashlib` loads OpenSSL when imported (~2 ms, a tenth of a cached run's imports) though its
`blake2b` is CPython's own `_blake2.blake2b`; that module alone loads in a fraction of the time.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover (a Python without it: hashlib has one either way)
    from hashlib import blake2b

__all__ = ["blake2b"]
