"""`python -m flake8_honeyhive.cli`."""

from flake8_honeyhive.cli import main

raise SystemExit(main())
