"""o365flow: a Welsh Safeguarding Board's practice review workflow, run over its own files.

One pass is gather -> plan -> apply; the folders are its rooms:

* ``core``, ``plan`` -- the pure core (model, settings, deadlines, workflow; the planner): no
  clock, disk or network.
* ``worker`` -- one pass: gather facts, plan, apply through the adapters, record in the state store.
* ``commands`` -- what the CLI's other commands do (init, check, status); ``configuration`` --
  the TOML config and workflow files read into core settings.
* ``storage``, ``mail``, ``register``, ``documents``, ``graph`` -- thin adapters, one folder per port.
* ``data`` -- the templates and workflows shipped inside the package.
* ``errors`` (one exception tree and the exit codes), ``log``, ``cli`` (the thin command line).
"""

__version__ = "0.1.0"
