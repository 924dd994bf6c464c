"""`python -m flake8_honeyhive.cli`."""

from flake8_honeyhive.cli import console_main

console_main()
