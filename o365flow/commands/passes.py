"""``plan``, ``run`` and ``watch``: a pass as the command line shows it. The pass itself is
``worker.run``; this module prints what it did (or would do) and gives the exit code."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable
from datetime import datetime

from o365flow.commands.console import Console
from o365flow.errors import O365flowError, exit_code, one_line
from o365flow.worker.services import Services


def plan_command(console: Console, svc: Services, now: datetime) -> int:
    """Dry run: every action the next pass would take, its warnings and problems."""
    from o365flow.worker.run import dry_run

    the_plan = dry_run(svc, now)
    if console.as_json:
        console.out(json.dumps({
            "now": now.isoformat(),
            "actions": [{"action": type(a).__name__, "reference": a.reference or None, "summary": a.summary()}
                        for a in the_plan.actions],
            "warnings": [n.text for n in the_plan.notices if not n.failed],
            "problems": [n.text for n in the_plan.notices if n.failed],
        }, indent=2))
    else:
        from o365flow.plan.wording import long_date

        console.say(f"Plan as at {long_date(now.date())} {now:%H:%M}:")
        if not the_plan.actions:
            console.say("Nothing to do.")
        for a in the_plan.actions:
            why = f" ({a.reason})" if getattr(a, "purpose", "") and a.reason else ""  # which reminder or letter
            console.say(f"- {one_line(a.summary())}{one_line(why)}")
    for n in the_plan.notices:
        console.report("problem" if n.failed else "warning", n.text, "plan.problem" if n.failed else "plan.warning")
    return 0


def run_command(console: Console, svc: Services, now: datetime, stop: Callable[[], bool] = lambda: False) -> int:
    """One pass, what it did, and its exit code. An error that ends the pass is said here, so
    ``watch`` goes on to the next pass; ``run`` exits with the code."""
    from o365flow.worker.run import run_pass

    try:
        report = run_pass(svc, now, stop)
    except O365flowError as exc:
        console.error(exc)
        return exit_code(exc)
    if console.as_json:
        console.out(json.dumps({
            "now": now.isoformat(),
            "done": report.done,
            "warnings": report.warnings,
            "failed": report.failed,
            "exit_code": report.exit_code,
        }, indent=2))
    elif report.done:
        console.say(f"Pass at {now:%d/%m/%Y %H:%M}: {len(report.done)} action(s).")
        for line in report.done:
            console.say(f"- {one_line(line)}")
    else:
        console.say(f"Pass at {now:%d/%m/%Y %H:%M}: nothing to do.")
    for w in report.warnings:
        console.report("warning", w, "pass.warning")
    for f in report.failed:
        console.report("problem", f, "action.failed")
    return report.exit_code


def watch_command(console: Console, seconds: float, open_pass: Callable[[], tuple[Services, datetime]]) -> int:
    """A pass, then wait ``seconds``, until SIGINT or SIGTERM, which end it between actions.
    ``open_pass`` gives each pass its services and its moment (the clock, read afresh)."""
    stopping = {"flag": False}

    def stop(signum, frame):
        stopping["flag"] = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)  # delivered on Windows only by the C runtime; harmless there
    code = 0
    from o365flow.log import new_pass

    while not stopping["flag"]:
        new_pass()
        svc, now = open_pass()
        code = run_command(console, svc, now, stop=lambda: stopping["flag"])
        deadline = time.monotonic() + seconds
        while not stopping["flag"] and time.monotonic() < deadline:
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
    console.say("Stopped.")
    return 0 if code in (0, 1) else code
