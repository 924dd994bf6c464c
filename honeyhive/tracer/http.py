"""The HTTP clients of a pipeline: its ``requests`` session (OTLP export) and the REST worker's.

``requests`` reads the environment on every request when ``trust_env`` is on: proxy variables
(all of ``os.environ``, then ``NO_PROXY`` matching), ``~/.netrc`` and the CA bundle variables. On
a busy server that was a third of the REST worker's CPU time. A session the SDK owns reads them
once, when its destination's first tracer is created (:func:`own_session`), as ``requests``
would for the server's URL; later changes to those variables are not seen by that destination.

``.netrc`` is left out on purpose: every request carries the API key in ``Authorization``, and
a ``.netrc`` entry for the server would have replaced it with Basic credentials.

The REST worker then sends through ``urllib3`` directly (:class:`PoolTransport`), configured
from that session's proxies, CA bundle and client certificate: the same connections
``requests`` would open, without its per-request preparation, cookies and hooks. A session the
application passes (``requests_session=``) is used as it is (:class:`SessionTransport`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

import requests
import urllib3
from requests.utils import DEFAULT_CA_BUNDLE_PATH, get_auth_from_url, get_environ_proxies

# (connect, read) per request: a slow server delays the worker, never the user.
REQUEST_TIMEOUT_S: Final = (3.05, 10.0)
CA_BUNDLE_VARIABLES: Final = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
# What a failed attempt raises (connection refused, timeout, TLS, proxy): retried, never raised.
TRANSPORT_ERRORS: Final = (requests.RequestException, urllib3.exceptions.HTTPError)


@dataclass(frozen=True, slots=True)
class Reply:
    """What the worker needs of an answer."""

    status: int
    retry_after: str | None


class Transport(Protocol):
    """Sends one request; raises one of ``TRANSPORT_ERRORS`` when no answer came."""

    def send(self, method: str, url: str, body: bytes, headers: Mapping[str, str]) -> Reply: ...

    def reset(self) -> None:
        """Drop pooled connections (closing, or in a forked child: they are the parent's)."""


def own_session(server_url: str) -> requests.Session:
    """A session that read the environment's proxies for ``server_url`` once, and never again.

    The CA bundle variables are applied by :func:`settle_environment`, once the OTLP exporter
    has set the session's ``verify``.
    """
    session = requests.Session()
    session.trust_env = False
    session.proxies.update(get_environ_proxies(server_url))
    return session


def settle_environment(session: requests.Session) -> None:
    """``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` as ``requests`` applies them to a request
    that sets no ``verify`` of its own: they win over the session's."""
    for name in CA_BUNDLE_VARIABLES:
        bundle = os.environ.get(name)
        if bundle:
            session.verify = bundle
            return


class SessionTransport:
    """Through a ``requests`` session, with all its settings (the application's own)."""

    def __init__(self, session: requests.Session) -> None:
        self._session = session

    def send(self, method: str, url: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        response = self._session.request(
            method, url, data=body, headers=dict(headers), timeout=REQUEST_TIMEOUT_S
        )
        response.close()
        return Reply(response.status_code, response.headers.get("Retry-After"))

    def reset(self) -> None:
        """The session belongs to the application, or to the pipeline that closes it."""


class PoolTransport:
    """Through ``urllib3``, as ``requests`` with the given session's settings would connect."""

    def __init__(self, session: requests.Session, server_url: str) -> None:
        self._pools = _pool_manager(session, server_url)
        self._timeout = urllib3.Timeout(connect=REQUEST_TIMEOUT_S[0], read=REQUEST_TIMEOUT_S[1])

    def send(self, method: str, url: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        response = self._pools.urlopen(
            method,
            url,
            body=body,
            headers=headers,
            retries=False,  # the worker retries, with backoff
            redirect=False,
            timeout=self._timeout,
            preload_content=False,
        )
        try:
            response.drain_conn()  # read the answer out, so its connection can be reused
            return Reply(response.status, response.headers.get("Retry-After"))
        finally:
            response.release_conn()

    def reset(self) -> None:
        self._pools.clear()


def transport_for(session: requests.Session, server_url: str, *, owned: bool) -> Transport:
    """:class:`PoolTransport` for a session the SDK owns, unless its proxy is one ``urllib3``
    alone does not speak (SOCKS: ``requests`` brings that support); else the session itself."""
    proxy = _proxy(session, server_url)
    if not owned or (proxy and not proxy.lower().startswith(("http://", "https://"))):
        return SessionTransport(session)
    return PoolTransport(session, server_url)


def _pool_manager(session: requests.Session, server_url: str) -> urllib3.PoolManager:
    """The pool ``requests``' adapter would use: proxy (with its credentials) and TLS settings."""
    verify, cert = session.verify, session.cert
    tls: dict[str, Any] = {"cert_reqs": "CERT_REQUIRED" if verify else "CERT_NONE"}
    if verify:
        bundle = DEFAULT_CA_BUNDLE_PATH if verify is True else str(verify)
        tls["ca_cert_dir" if os.path.isdir(bundle) else "ca_certs"] = bundle
    if cert:
        tls["cert_file"], tls["key_file"] = (cert, None) if isinstance(cert, str) else cert
    proxy = _proxy(session, server_url)
    if not proxy:
        return urllib3.PoolManager(num_pools=1, **tls)
    user, password = get_auth_from_url(proxy)
    proxy_headers = urllib3.make_headers(proxy_basic_auth=f"{user}:{password}") if user else {}
    return urllib3.ProxyManager(proxy, num_pools=1, proxy_headers=proxy_headers, **tls)


def _proxy(session: requests.Session, server_url: str) -> str | None:
    """The session's proxy for ``server_url``, with ``http://`` when it names no scheme (as
    ``requests`` reads ``HTTPS_PROXY=host:port``)."""
    proxy = requests.utils.select_proxy(server_url, session.proxies)
    if not proxy:
        return None
    return proxy if "://" in proxy else f"http://{proxy}"
