"""The daily digest after real passes: what was done, what needs a person, what falls due, in
one date style, one line per case, as plain text and as a small HTML table."""

from __future__ import annotations

import re
from datetime import date

CPR = "DRSB-CPR-2026-001"


def digests(board) -> list:
    return [m for m in board.outbox() if "daily summary" in str(m["Subject"])]


def bodies(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    return text, message.get_body(("html",)).get_content()


def test_the_digest_says_what_was_done_then_what_needs_a_person(board):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    board.run("2026-03-11T07:00")  # folder and documents made; the digest that morning says so
    text, html = bodies(digests(board)[-1])
    done = text.split("Done since the last digest", 1)[1].split("\n\n", 1)[0]
    lines = [line for line in done.splitlines() if line.startswith("- ")]
    assert len([line for line in lines if CPR in line]) == 1
    assert re.search(rf"- {CPR}: case folder created; \d+ documents made", done)
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{4}-\d{2}-\d{2}\b", text)  # one date style
    soon = text.split("Due in the next 14 days", 1)[1].split("\n\n", 1)[0]
    assert text.index("Done since the last digest") < text.index("Due in the next 14 days")
    assert f"- {CPR}: Welsh Government to be notified by 17 March 2026" in soon
    for ref in set(re.findall(r"DRSB-[A-Z]+-2026-\d{3}", text)):
        assert soon.count(f"- {ref}:") <= 1
    assert "<table" in html and "#9C5700" in html  # amber for what falls due soon

    board.run("2026-03-11T15:00")  # later the same day: no second digest
    assert len([m for m in digests(board) if "11 March 2026" in str(m["Subject"])]) == 1
    board.run("2026-03-12T07:00")  # the next morning: yesterday's work is not told twice
    text, _ = bodies(digests(board)[-1])
    assert "12 March 2026" in text and "case folder created" not in text


def test_welsh_government_notification_reads_naturally(board):
    board.run("2026-03-02")
    board.set_case(CPR, Decision="Concise review", Decision_date=date(2026, 3, 10))
    board.run("2026-03-11")
    board.run("2026-03-13T07:00")
    text, _ = bodies(digests(board)[-1])
    assert "Welsh Government to be notified by 17 March 2026" in text
    assert "notified due" not in text
