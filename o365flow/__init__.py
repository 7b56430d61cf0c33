"""o365flow: a Welsh Safeguarding Board's practice review workflow, run over its own files.

The package is laid out as gather -> plan -> apply:

* ``model``, ``parsing``, ``deadlines``, ``workflow``, ``plan`` -- the pure core: no clock,
  disk or network.
* ``storage``, ``mail``, ``register``, ``documents`` -- thin adapters, one folder per port.
* ``state`` -- the SQLite record of what has been done (idempotency keys, cases, cursors).
* ``worker`` -- one pass: gather facts, plan, apply through the adapters.
* ``cli`` -- the thin command line.
"""

__version__ = "0.1.0"
