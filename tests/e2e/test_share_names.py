"""The names of files shared with agencies are checked too: a name that names the subject holds
the sharing; a name with control or direction-changing characters is refused by name and the
rest are still shared."""

from __future__ import annotations

from datetime import date

from o365flow.core.filelabel import unsafe_name_rule
from o365flow.documents.anonymise import names_in_text, names_to_find

MAPF = "DRSB-MAPF-2026-001"  # the demo forum: subject E.F.
SHARE = f"{MAPF}/05 Ready to share"


def _forum_held(board):
    board.run("2026-03-02")
    board.set_case(MAPF, Decision="Forum", Decision_date=date(2026, 3, 10), Learning_event_date=date(2026, 4, 21))
    board.run("2026-03-11")


def _shared(board):
    return [m for m in board.outbox() if "Learning to share" in str(m["Subject"])]


def test_a_file_name_with_the_initials_is_not_shared(board):
    _forum_held(board)
    board.save_file("Reviews", f"{SHARE}/Learning summary - E.F. forum.pdf", b"%PDF-1.4 learning")
    result = board.run("2026-04-22", expect=1)
    assert not _shared(board)
    assert "may identify someone" in result.output and "the subject's initials" in result.output
    assert "E.F." not in result.output


def test_a_direction_changing_or_line_breaking_name_is_refused_and_the_rest_shared(board):
    _forum_held(board)
    board.save_file("Reviews", f"{SHARE}/{MAPF} Learning summary.pdf", b"%PDF-1.4 learning")
    board.save_file("Reviews", f"{SHARE}/Summary \u202efdp.exe.pdf", b"%PDF-1.4 trick")
    board.save_file("Reviews", f"{SHARE}/Summary\r\nBcc: x.pdf", b"%PDF-1.4 header")
    result = board.run("2026-04-22", expect=1)
    shared = _shared(board)
    assert len(shared) == 6
    for message in shared:
        assert [p.get_filename() for p in message.iter_attachments()] == [f"{MAPF} Learning summary.pdf"]
        assert "\u202e" not in message.as_string() and "fdp.exe" not in message.as_string()
    out = result.output + (result.stderr if result.stderr_bytes else "")
    assert "Summary \\u202efdp.exe.pdf" in out and "Summary\\u000d\\u000aBcc: x.pdf" in out
    assert "\u202e" not in out and "Summary\r\n" not in out


def test_the_rules():
    assert unsafe_name_rule("Summary \u202efdp.exe.pdf") and unsafe_name_rule("a\nb.pdf") and unsafe_name_rule("a\u200bb")
    assert unsafe_name_rule("Crynodeb dysgu \u2013 Si\u00e2n's team.pdf") == ""
    names = names_to_find("Zebediah Quaxworth", "E.F.", ["Petronella Quaxworth"])
    assert names_in_text("Learning_summary_E.F._forum.pdf", names)
    assert names_in_text("Notes-zebediah-quaxworth.docx", names)
    assert names_in_text("petronella quaxworth.pdf", names)
    assert names_in_text("Learning summary.pdf", names) == []
