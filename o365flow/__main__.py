"""``python -m o365flow``."""

from o365flow.cli import cli

cli(prog_name="o365flow")
