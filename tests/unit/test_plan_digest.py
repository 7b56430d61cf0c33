"""The daily digest as a coordinator reads it: what was done, what needs a person, what is due;
one line per case, one date style, deadlines that read as sentences."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from o365flow.plan import plan
from o365flow.plan.actions import CreateFolder, RecordSignoff, RenderDocument, SendMail
from o365flow.plan.digest import done_items, uk_dates
from o365flow.plan.facts import Attention, Facts, RegisterFacts
from o365flow.plan.wording import due_phrase
from tests.unit.test_plan_mail_policy import REF, ROW, at, board_after_requests, config, mails  # noqa: F401 (workflows: tests/unit/conftest.py)


def digest_of(out) -> dict:
    return mails(out, "digest")[0].context["digest"]


def test_deadlines_read_as_sentences():
    assert due_phrase("Welsh Government notified", date(2026, 3, 23)) == "Welsh Government to be notified by 23 March 2026"
    assert due_phrase("Review completed", date(2026, 9, 10)) == "Review to be completed by 10 September 2026"
    assert due_phrase("Action plan sign-off", date(2026, 8, 31)) == "Action plan sign-off due by 31 August 2026"
    assert due_phrase("Forum held", date(2026, 6, 1), overdue=True) == "Forum not yet held: was due 1 June 2026"


def test_one_date_style_whatever_the_source_wrote():
    assert uk_dates("due 19/05/2026, report 2026-08-03") == "due 19 May 2026, report 3 August 2026"
    assert uk_dates("31/02/2026 stays") == "31/02/2026 stays"  # not a date


def test_done_then_needs_then_due_one_line_per_case(config, workflows):
    board = board_after_requests(config)
    # Work recorded by earlier passes since the last digest.
    work = [CreateFolder(ref=REF, folder=REF, subfolders=("a", "b")),
            RenderDocument(ref=REF, template="cpr/x.docx", path=f"{REF}/02/{REF} Terms of reference.docx"),
            RenderDocument(ref=REF, template="cpr/y.docx", path=f"{REF}/08/{REF} Action plan.docx"),
            RecordSignoff(ref=REF, agency="DCC", day=date(2026, 9, 1)),
            SendMail(mail_key="k", purpose="request", ref=REF, agency="POLICE")]
    attention = tuple(Attention(i, date(2026, 9, 1), s, t) for i, a in enumerate(work) for s, t in done_items(a))
    board = replace(board, attention=attention)
    out = plan(config, workflows, board, Facts(now=at("2026-09-02"), register=RegisterFacts(True, {REF: ROW})))
    digest = digest_of(out)
    titles = [s["title"] for s in digest["sections"]]
    assert titles[:2] == ["Done since the last digest", "Needs you today"]
    done = digest["sections"][0]["items"]
    assert len(done) == 1  # earlier passes' work and this pass's (documents, reminders): one line
    assert done[0].startswith(f"{REF}: case folder created; ")
    for phrase in ("documents made", "signed off by DCC (1 September 2026)", "sign-off requested from POLICE",
                   "sign-off reminder sent to DCC, EDU"):
        assert phrase in done[0]
    needs = digest["sections"][1]["items"]
    assert len([i for i in needs if i.startswith(REF)]) == 1  # the deadline and the sign-offs: one line
    line = next(i for i in needs if i.startswith(REF))
    assert "was due 31 August 2026" in line and "outstanding from" in line and "/" not in line
    assert digest["sections"][1]["rows"][0]["rag"] == "Red"
    assert "1 to deal with" in digest["summary"]


def test_nothing_done_nothing_due_no_digest(config, workflows):
    board = board_after_requests(config)
    quiet = {**ROW, "Final report date": None, "Decision date": date(2026, 3, 10)}
    out = plan(config, workflows, replace(board, done=board.done | {"digest/2026-03-20"}),
               Facts(now=at("2026-03-20"), register=RegisterFacts(True, {REF: quiet})))
    assert not mails(out, "digest")


def test_themes_not_on_the_boards_list_are_told_once_a_day_a_line_a_case(config, workflows):
    from o365flow.worker.folderdocs import ActionsFacts

    board = board_after_requests(config)
    row = {**ROW, "Themes": "Neglect; Negelct, domestic  ABUSE"}  # case and spaces do not matter
    plan_rows = ({"Reference": REF, "Item": "1", "Theme": "Housing; Neglect"},
                 {"Reference": REF, "Item": "2", "Theme": "housing"},  # told once
                 {"Reference": REF, "Item": "3", "Theme": "Neglect because of " + "x" * 40})
    facts = Facts(now=at("2026-09-02"), register=RegisterFacts(True, {REF: row}),
                  actions={REF: ActionsFacts(plan_rows, "fp")})
    out = plan(config, workflows, board, facts)
    warned = [n.text for n in out.notices if not n.failed and "themes list" in n.text]
    assert warned == [
        f"{REF}: theme 'Negelct' in the register is not on the board's themes list; correct it or add it to [themes]",
        f"{REF}: theme 'Housing' in the action plan is not on the board's themes list; correct it or add it to [themes]",
        f"{REF}: a theme of 59 characters in the action plan is not on the board's themes list; "
        "correct it or add it to [themes]",
    ]
    assert not [n for n in out.notices if n.failed and "themes list" in n.text]  # warnings, not failures
    needs = next(s for s in digest_of(out)["sections"] if s["title"] == "Needs you today")
    lines = [i for i in needs["items"] if i.startswith(REF)]
    assert len(lines) == 1  # with the case's deadline, on its one line
    assert "theme 'Negelct' in the register is not on the board's themes list" in lines[0]
    assert "theme 'Housing' in the action plan" in lines[0] and "x" * 20 not in lines[0]
    # Later the same day: still a warning of the pass, but the day's digest has gone.
    later = replace(board, done=board.done | {"digest/2026-09-02"})
    again = plan(config, workflows, later, replace(facts, now=at("2026-09-02T15:00")))
    assert not mails(again, "digest") and len([n for n in again.notices if "themes list" in n.text]) == 3
    # Put right: nothing to say.
    fixed = replace(facts, register=RegisterFacts(True, {REF: {**ROW, "Themes": "Neglect"}}), actions={})
    assert not [n for n in plan(config, workflows, board, fixed).notices if "themes list" in n.text]
