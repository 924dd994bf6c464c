"""A WSGI application for gunicorn's sync workers: one tracer per request, as the README says, and
OpenTelemetry's WSGI middleware. Configured like ``app.py`` (``APP_HONEYHIVE_URL``/``_KEY``)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from opentelemetry.instrumentation.wsgi import OpenTelemetryMiddleware

from honeyhive import HoneyHiveTracer, trace
from tests.server.sdk_log import show_sdk_log_lines

HONEYHIVE_URL = os.environ.get("APP_HONEYHIVE_URL", "http://127.0.0.1:9")
HONEYHIVE_KEY = os.environ.get("APP_HONEYHIVE_KEY", "app-key")

show_sdk_log_lines()

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@trace
def shout(text: str) -> str:
    return text.upper()


def answer(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    if environ["PATH_INFO"] == "/health":  # the readiness probe
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    session_id = environ["PATH_INFO"].rsplit("/", 1)[-1]
    with HoneyHiveTracer.init(
        api_key=HONEYHIVE_KEY, server_url=HONEYHIVE_URL, project="wsgi-app", session_id=session_id
    ) as tracer:
        body = shout("hello").encode()
        tracer.enrich_session(metadata={"route": "wsgi"})
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


application = OpenTelemetryMiddleware(answer)
