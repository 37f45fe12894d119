"""`python -m reconcile` runs the command-line interface."""

from reconcile.cli import main

main()
