"""Reading a board's configuration: the TOML file and the workflow files, validated at the edge
into the core's frozen settings (``o365flow.core.settings``, ``o365flow.core.workflow``)."""

from o365flow.configuration.loader import find_config_path, load_config

__all__ = ["find_config_path", "load_config"]
