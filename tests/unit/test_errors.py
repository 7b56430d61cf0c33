"""Error messages are one line, whatever value they quote, and carry their exit code."""

from __future__ import annotations

import pytest

from o365flow.errors import (
    BackendError,
    ConfigError,
    InputError,
    InstallationError,
    LockHeld,
    MailError,
    UsageError,
    exit_code,
    one_line,
    quoted,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("x@y\nBcc: evil@evil.example", "'x@y\\nBcc: evil@evil.example'"),
        ("a\r\nb\tc", "'a\\r\\nb\\tc'"),
        ("Summary \u202efdp.exe.pdf", "'Summary \\u202efdp.exe.pdf'"),
        ("bell\x07 esc\x1b[31m", "'bell\\x07 esc\\x1b[31m'"),
        ("line\u2028sep", "'line\\u2028sep'"),
        (5, "'5'"),
        ("Siân Zoë", "'Siân Zoë'"),  # letters are shown as they are
    ],
)
def test_quoted_escapes_control_characters(value, shown):
    assert quoted(value) == shown


def test_quoted_cuts_long_values():
    text = quoted("x" * 500)
    assert len(text) == 122 and text.endswith("…'")


def test_messages_hints_and_problems_are_one_line():
    exc = ConfigError("bad\nvalue", ["one\ntwo", "three\rfour"], hint="do\nthis")
    assert "\n" not in str(exc) and "\r" not in str(exc)
    assert exc.problems == ["one\\ntwo", "three\\rfour"]
    assert exc.hint == "do\\nthis"
    assert one_line("a\nb") == "a\\nb"


def test_exit_codes_follow_the_contract():
    assert exit_code(ConfigError("c")) == 2
    assert exit_code(UsageError("u")) == 2
    assert exit_code(InputError("i")) == 1
    assert exit_code(MailError("m")) == 1
    assert exit_code(BackendError("b")) == 3
    assert exit_code(LockHeld("l")) == 3
    assert exit_code(InstallationError("i")) == 3
    assert exit_code(ValueError("not raised on purpose")) == 3


def test_a_register_problem_shows_a_typed_reference_escaped():
    """Found by the fuzz suite: a reference cell holding DEL was echoed raw into the problem."""
    from o365flow.register.model import CellProblem

    text = str(CellProblem("Cases", "Y2", "Anonymisation cleared", "A\x7f\nB", "'0' is not a date"))
    assert text.isprintable() and "\\x7f" in text and "\\n" in text
