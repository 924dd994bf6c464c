"""The HH rule catalog, as the SDK and its users import it: ``from honeyhive.rules import HH001``.

The catalog is defined once, in :mod:`flake8_honeyhive.rules`, where the linters read it whatever
``honeyhive`` package comes first on ``sys.path``; this module re-exports every name of it.
"""

from flake8_honeyhive.rules import *  # noqa: F403
