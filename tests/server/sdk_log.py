"""Show the SDK's log lines on stderr, from INFO up, when the server's environment asks for it
(``APP_LOG_HONEYHIVE=1``): the tests read what the SDK says at shutdown from there."""

from __future__ import annotations

import logging
import os


def show_sdk_log_lines() -> None:
    if os.environ.get("APP_LOG_HONEYHIVE") != "1":
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s: %(message)s"))
    logging.getLogger("honeyhive").addHandler(handler)
    logging.getLogger("honeyhive").setLevel(logging.INFO)
