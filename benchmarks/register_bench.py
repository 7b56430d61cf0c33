"""Register read/write timings: N cases (with 12 sign-off rows each) read, updated with one
changed cell, with 10 new cases, and with no change; both by openpyxl (``read_register`` before
the XML reader, ``update_register``) and by the fast path (``read_register`` on ``read.book``,
``patch.plan`` + ``patch.apply``). Wall time, CPU time and peak Python memory (tracemalloc).

    python benchmarks/register_bench.py [--fast-only] [N ...]   (default: 100 1000 10000)

Results are written down in benchmarks/README-register.md.
"""

from __future__ import annotations

import os
import platform
import sys
import time
import tracemalloc
from datetime import date, timedelta

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from o365flow.register import Link, read_register, update_register
from o365flow.register.rewrite.open import open_workbook
from o365flow.register.rewrite.write import update_register as full_rewrite

AGENCIES = (
    "CCBC",
    "DCC",
    "FCC",
    "GC",
    "WCBC",
    "IOACC",
    "NWP",
    "BCUHB",
    "PROB",
    "WAST",
    "PHW",
    "EDU",
)
STAGES = (
    "awaiting_decision",
    "in_review",
    "action_plan_signoff",
    "signed_off",
    "published",
)


def build_rows(n: int) -> tuple[list[dict], list[dict]]:
    """N cases in mixed states; every case past its final report has 12 sign-off rows."""
    cases, signoffs = [], []
    start = date(2026, 1, 5)
    for i in range(n):
        ref = f"NWSB-CPR-{2026 + i // 1000}-{i % 1000 + 1:03d}"
        received = start + timedelta(days=i % 300)
        cases.append(
            {
                "Reference": ref,
                "Kind": "CPR",
                "Subject initials": "AB",
                "Referring agency": "Conwy County Borough Council",
                "Referral received": received,
                "Stage": STAGES[i % len(STAGES)],
                "Review due": received + timedelta(days=182),
                "Next deadline": received + timedelta(days=30),
                "Next deadline is": "Review due",
                "RAG": ("Red", "Amber", "Green")[i % 3],
                "Sign-offs outstanding": 12,
                "Folder": Link(ref, f"../Reviews/{ref}/"),
                "Last updated": date(2026, 6, 1),
                "Final report date": received + timedelta(days=150),
            }
        )
        for agency in AGENCIES:
            signoffs.append(
                {
                    "Reference": ref,
                    "Agency": agency,
                    "Agency name": f"{agency} safeguarding",
                    "Requested": received + timedelta(days=151),
                    "Due": received + timedelta(days=178),
                }
            )
    return cases, signoffs


def measure(fn, *args, **kwargs):
    """(result, peak MiB): memory in a run of its own (tracemalloc slows Python down)."""
    tracemalloc.start()
    result = fn(*args, **kwargs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, peak / 2**20


def timed(fn, *args, **kwargs):
    """(result, wall seconds, CPU seconds): CPU time shows the cost when others share the
    machine; wall time is what a pass waits."""
    w0, c0 = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - w0, time.process_time() - c0


def openpyxl_read(data: bytes) -> int:
    """The previous reader's cost: openpyxl read-only, every row of both sheets, values only."""
    wb = open_workbook(data, read_only=True)
    count = 0
    for title in ("Cases", "Sign-offs"):
        ws = wb[title]
        ws.reset_dimensions()
        count += sum(1 for _ in ws.iter_rows(values_only=True))
    wb.close()
    return count


def fast_write(data: bytes, cases, signoffs) -> bytes | None:
    """What the worker's write calls: ``update_register``, which checks the layout and the
    Dashboard, then patches the cells and appends the rows (None: nothing to do)."""
    return update_register(data, cases, signoffs, agencies=AGENCIES)


def row(*cells) -> str:
    return "| " + " | ".join(cells) + " |"


def main(sizes: list[int], fast_only: bool) -> None:
    print(
        f"# {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; seconds wall (CPU), MiB peak"
    )
    fast_head = ["cases", "sign-off rows", "file KiB", "read", "read MiB", "1 cell", "1 cell MiB",
                 "10 new cases", "10 new MiB", "no change", "no change MiB", "read + 1 cell"]
    print(row(*fast_head))
    print(row(*["---:"] * len(fast_head)))
    slow_lines = []
    for n in sizes:
        cases, signoffs = build_rows(n)
        data, build_s, _ = timed(full_rewrite, None, cases, signoffs, agencies=AGENCIES)
        # Every row given again, one cell different: the whole comparison, one edit.
        one = [dict(c, Stage="closed") if i == n // 2 else c for i, c in enumerate(cases)]
        new_cases = [dict(c, Reference=c["Reference"].replace("NWSB", "NEWB")) for c in cases[:10]]
        snap, read_s, read_c = timed(read_register, data)
        _, read_mib = measure(read_register, data)
        new, one_s, one_c = timed(fast_write, data, one, signoffs)
        assert read_register(new).cases[cases[n // 2]["Reference"]]["Stage"] == "closed"
        _, one_mib = measure(fast_write, data, one, signoffs)
        grown, add_s, add_c = timed(fast_write, data, new_cases, [])
        assert len(read_register(grown).cases) == len(snap.cases) + 10
        _, add_mib = measure(fast_write, data, new_cases, [])
        same, same_s, same_c = timed(fast_write, data, cases, signoffs)
        assert same is None
        _, same_mib = measure(fast_write, data, cases, signoffs)
        print(row(
            f"{n:,}", f"{len(signoffs):,}", f"{len(data) // 1024:,}",
            f"{read_s:.2f} ({read_c:.2f})", f"{read_mib:.0f}",
            f"{one_s:.2f} ({one_c:.2f})", f"{one_mib:.0f}",
            f"{add_s:.2f} ({add_c:.2f})", f"{add_mib:.0f}",
            f"{same_s:.2f} ({same_c:.2f})", f"{same_mib:.0f}",
            f"**{read_s + one_s:.2f}** ({read_c + one_c:.2f})",
        ), flush=True)
        if fast_only:
            continue
        _, old_read_s, old_read_c = timed(openpyxl_read, data)
        _, old_one_s, old_one_c = timed(full_rewrite, data, one, signoffs, agencies=AGENCIES)
        _, old_same_s, old_same_c = timed(full_rewrite, data, cases, signoffs, agencies=AGENCIES)
        slow_lines.append(row(
            f"{n:,}", f"{build_s:.1f}", f"{old_read_s:.2f} ({old_read_c:.2f})",
            f"{old_one_s:.2f} ({old_one_c:.2f})", f"{old_same_s:.2f} ({old_same_c:.2f})",
        ))
    if slow_lines:
        print("\nopenpyxl, for comparison (same files):\n")
        print(row("cases", "build", "openpyxl read", "update 1 cell", "update, no change"))
        print(row(*["---:"] * 5))
        print("\n".join(slow_lines))


if __name__ == "__main__":
    args = sys.argv[1:]
    fast = "--fast-only" in args
    main([int(a) for a in args if a != "--fast-only"] or [100, 1000, 10000], fast)
