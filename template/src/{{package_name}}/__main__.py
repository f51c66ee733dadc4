"""Entry point for ``python -m <package>``."""

from .cli import main

main()
