"""Subcommands of the `pmo` command line, one module each."""
