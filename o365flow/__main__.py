"""``python -m o365flow``."""

from .cli import cli

cli(prog_name="o365flow")
