"""A board's spring and summer in two minutes: what `make demo` runs.

It makes a demo board with `o365flow init --demo`, then plays the coordinator: runs passes on
chosen days (`--now`), records the Chair's decisions in the register with a spreadsheet library as
a person would in Excel, saves a final report, and answers a sign-off request as an agency would.
Then it shows the register, the case folders and the outbox.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import openpyxl

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else "demo-board").resolve()
REGISTER = ROOT / "site" / "Register" / "Practice Review Register.xlsx"


def o365flow(*args: str) -> None:
    print(f"\n$ o365flow {' '.join(args)}")
    subprocess.run([sys.executable, "-m", "o365flow", "--config", str(ROOT / "o365flow.toml"), *args], check=False)


def say(text: str) -> None:
    print(f"\n== {text}")


def edit_register(ref: str, **values) -> None:
    wb = openpyxl.load_workbook(REGISTER)
    ws = wb["Cases"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[header.index("Reference")].value == ref:
            for key, value in values.items():
                cell = row[header.index(key.replace("_", " "))]
                cell.value = datetime.fromisoformat(value) if key.endswith(("date", "notified", "from")) else value
    wb.save(REGISTER)


def reply_to_request(ref: str, agency_address: str, sender: str, first_line: str) -> None:
    for path in sorted((ROOT / "mail" / "outbox").glob("*.eml")):
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        if f"[{ref}]" in str(msg["Subject"]) and str(msg["To"]) == agency_address:
            answer = EmailMessage()
            answer["From"], answer["To"] = sender, str(msg["From"])
            answer["Subject"] = "RE: " + str(msg["Subject"])
            answer["Message-ID"] = f"<demo-reply-{ref}@council.example.org>"
            answer["In-Reply-To"] = answer["References"] = msg["Message-ID"]
            answer["Date"] = "Tue, 04 Aug 2026 10:12:00 +0100"
            answer.set_content(f"{first_line}\n\nKind regards\n\n> {msg['Subject']}\n")
            (ROOT / "mail" / "inbox" / "new" / f"demo-{ref}.eml").write_bytes(answer.as_bytes())
            return


def main() -> None:
    if ROOT.exists():
        shutil.rmtree(ROOT)
    say("A new board with four sample referral forms in its Referrals library")
    subprocess.run([sys.executable, "-m", "o365flow", "init", str(ROOT), "--demo"], check=True, stdout=subprocess.DEVNULL)
    o365flow("check")

    say("2 March 2026: the worker registers the referrals and tells the coordinator")
    o365flow("run", "--now", "2026-03-02T08:00")

    say("The Chair's decisions are typed into the register (Decision, Decision date, ...)")
    edit_register("DRSB-CPR-2026-001", Decision="Concise review", Decision_date="2026-03-10",
                  Welsh_Government_notified="2026-03-12", Reviewers="Independent reviewer", Panel_members="Panel chair; Council lead")
    edit_register("DRSB-APR-2026-001", Decision="No review", Decision_date="2026-03-10")
    edit_register("DRSB-MAPF-2026-001", Decision="Forum", Decision_date="2026-03-10", Learning_event_date="2026-04-20")
    edit_register("DRSB-SUSR-2026-001", Decision="SUSR", Decision_date="2026-03-16")
    o365flow("run", "--now", "2026-03-17T08:00")

    say("The SUSR is put on hold for an inquest; the review due date moves with the hold")
    edit_register("DRSB-SUSR-2026-001", On_hold_from="2026-05-01", Hold_reason="Inquest")

    say("3 August 2026: the CPR's final report is saved in its '07 Final report' folder")
    folder = ROOT / "site" / "Reviews" / "DRSB-CPR-2026-001"
    shutil.copy(next(folder.rglob("*report (draft).docx")), folder / "07 Final report" / "Final report.docx")
    o365flow("run", "--now", "2026-08-03T08:00")

    say("The council replies 'Approved'; the next pass records it")
    reply_to_request("DRSB-CPR-2026-001", "safeguarding.reviews@council.example.org",
                     "Sam Evans <sam.evans@council.example.org>", "Approved on behalf of the council.")
    o365flow("run", "--now", "2026-08-05T08:00")

    say("24 August 2026: a week before the due date, the agencies still outstanding are reminded")
    o365flow("run", "--now", "2026-08-24T08:00")
    o365flow("run", "--now", "2026-08-24T08:05")

    say("Where things stand")
    o365flow("status", "--now", "2026-08-24")
    show_results()


def show_results() -> None:
    wb = openpyxl.load_workbook(REGISTER)
    ws = wb["Cases"]
    header = [c.value for c in ws[1]]
    cols = ["Reference", "Decision", "Stage", "Review due", "Next deadline", "RAG"]
    print(f"\nRegister ({REGISTER.relative_to(ROOT.parent)}), sheet Cases:")
    for row in ws.iter_rows(min_row=2, values_only=True):
        if row[0]:
            cells = [row[header.index(c)] for c in cols]
            print("  " + " | ".join(f"{v:%d/%m/%Y}" if isinstance(v, datetime) else str(v or "") for v in cells))
    print("\nCase folders:")
    for case in sorted((ROOT / "site" / "Reviews").iterdir()):
        docs = sorted(p.relative_to(case).as_posix() for p in case.rglob("*.docx"))
        print(f"  {case.name}/  ({len(docs)} documents)")
        for d in docs:
            print(f"    {d}")
    outbox = sorted((ROOT / "mail" / "outbox").glob("*.eml"))
    print(f"\nOutbox: {len(outbox)} message(s) in {(ROOT / 'mail' / 'outbox').relative_to(ROOT.parent)}")
    for path in outbox:
        msg = message_from_bytes(path.read_bytes(), policy=policy.default)
        print(f"  {str(msg['Date'])[:16]}  to {str(msg['To']):45} {msg['Subject']}")
    print(f"\nOpen the register in Excel or LibreOffice: {REGISTER}")


if __name__ == "__main__":
    main()
