"""Deciding what an incoming message is: a sign-off, or something for the coordinator. Pure.

Contract ("Sign-off by email"): a reply counts only when it answers the request (In-Reply-To /
References, or the reference token in the subject) AND comes from that agency's configured
address or domain AND its first non-quoted line starts with an approval phrase.
"""

from __future__ import annotations

import re
from datetime import date

from o365flow.core.settings import Config
from o365flow.core.welsh import is_conditional
from o365flow.plan.actions import RecordSignoff, SetAside
from o365flow.plan.facts import Board

_TOKEN = re.compile(r"\[([A-Z0-9]+-(?:CPR|APR|SUSR|MAPF)-\d{4}-\d{3,})\]")


QUOTE_LIMIT = 300


def quote_reply(text: str, initials: str = "") -> str:
    """The start of a reply's new text for the coordinator's digest: at most ``QUOTE_LIMIT``
    characters on one line, with the case's subject initials blacked out should an agency have
    typed them (requests ask agencies not to name anyone; this is the safety net)."""
    words = " ".join((text or "").split())
    if initials:
        letters = [c for c in initials if c.isalpha()]
        if letters:
            # "A.B.", "A. B.", "AB", "a.b" -- the letters in order, dots and spaces optional.
            pattern = r"(?<![A-Za-z])" + r"[.\s]*".join(map(re.escape, letters)) + r"\.?(?![A-Za-z])"
            words = re.sub(pattern, "[initials removed]", words, flags=re.IGNORECASE)
    if len(words) > QUOTE_LIMIT:
        words = words[: QUOTE_LIMIT - 1].rsplit(" ", 1)[0] + "\u2026"
    return words or "(no text)"


def starts_with_phrase(line: str, phrases: tuple[str, ...]) -> bool:
    """Does ``line`` start with one of ``phrases`` as whole words, and not go on to qualify it
    ("Approved subject to ...", "Cymeradwyo yn amodol ar ...", "Approved? Not yet")?"""
    text = _plain(line)
    for phrase in phrases:
        p = _plain(phrase)
        if text.startswith(p) and (len(text) == len(p) or not text[len(p)].isalpha()):
            rest = text[len(p):]
            return not (rest.lstrip().startswith("?") or is_conditional(rest))
    return False


def _plain(text: str) -> str:
    # Curly apostrophes as typed by Outlook and phones ("Rwy’n") compare equal to straight ones.
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split()).lower()


def classify(msg, board: Board, config: Config, signed: dict[tuple[str, str], date | None], today: date):
    """One message -> RecordSignoff or SetAside (never raises)."""
    sender = msg.sender or "an unknown sender"
    if msg.auto_submitted:
        return SetAside(message_key=msg.key, reason="automatic reply ignored")
    hit = next((board.message_ids[i] for i in (*msg.in_reply_to, *msg.references) if i in board.message_ids), None)
    if hit:
        ref, code = hit
    else:
        m = _TOKEN.search(msg.subject or "")
        ref = m[1] if m and m[1] in board.cases else None
        if ref is None:
            return SetAside(
                message_key=msg.key,
                reason="answers no request",
                note=f"a message from {sender} does not answer any sign-off request; nothing recorded",
            )
        requested = [a for (r, a) in board.signoffs if r == ref]
        agency = next((config.agency(a) for a in requested if config.agency(a) and config.agency(a).sends_from(sender)), None)
        if agency is None:
            return SetAside(
                message_key=msg.key,
                ref=ref,
                reason="sender is not a requested agency",
                note=f"{ref}: a reply from {sender} is not from the address or domain of an agency asked to sign off; nothing recorded",
            )
        code = agency.code
    agency = config.agency(code)
    if agency is None or not agency.sends_from(sender):
        return SetAside(
            message_key=msg.key,
            ref=ref,
            reason="sender does not match the agency",
            note=f"{ref}: a reply to {code}'s request came from {sender}, not {code}'s configured address or domain; nothing recorded",
        )
    if msg.authentication_failed:
        return SetAside(
            message_key=msg.key,
            ref=ref,
            reason="sender authentication failed",
            note=f"{ref}: a reply claiming to be from {sender} ({code}) failed sender authentication (DMARC/SPF); nothing recorded",
        )
    phrases = config.mail.approval_phrases
    if not starts_with_phrase(msg.first_line, phrases):
        quoted = " or ".join(f"'{p}'" for p in phrases)
        case = board.cases.get(ref)
        said = quote_reply(msg.body_text or msg.first_line, case.referral.subject_initials if case else "")
        return SetAside(
            message_key=msg.key,
            ref=ref,
            reason="not an approval",
            note=f"{ref}: {code} replied without signing off (its first line does not start with {quoted}); "
            f"nothing recorded. It says: \u201c{said}\u201d",
        )
    if signed.get((ref, code)):
        return SetAside(message_key=msg.key, ref=ref, reason=f"{code} had already signed off")
    received = msg.date.astimezone(config.tz).date() if msg.date else today
    day = min(received, today)
    by = f"{msg.sender_name} <{msg.sender}>" if msg.sender_name else msg.sender
    return RecordSignoff(
        ref=ref, agency=code, day=day, by=by, how="Email reply", message_key=msg.key, reason="approval reply received"
    )
