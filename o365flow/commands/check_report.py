"""``check-report``: a case's final report scanned for the subject's name and initials and the
case's names not to publish (``worker.namecheck``), said as the command line says it."""

from __future__ import annotations

import json

from o365flow.commands.console import Console
from o365flow.errors import InputError, UsageError, one_line
from o365flow.worker.services import Services


def check_report_command(console: Console, svc: Services, reference: str) -> int:
    """What was found, and 0 only when the report is clean."""
    from o365flow.worker.namecheck import run_check

    reference = reference.strip().upper()
    try:
        result = run_check(svc, reference)
    except InputError as exc:
        if type(exc) is not InputError:  # a document or the register: reported as it is
            raise
        raise UsageError(exc.message, exc.hint) from exc  # no such case, or nothing to check yet
    if console.as_json:
        console.out(json.dumps({"reference": reference, "clean": result.clean,
                            "findings": result.findings, "problem": result.problem}, indent=2))
    else:
        for line in result.findings:
            console.out(f"found: {one_line(line)}")
        if result.clean:
            console.say(result.summary())
    if result.problem:
        console.report("problem", result.problem, "check_report.problem")
    return 0 if result.clean else 1
