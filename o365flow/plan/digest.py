"""The coordinator's daily digest as a short briefing. Pure.

Three parts, in the order a coordinator reads them: what o365flow did since the last digest
(folders, documents, requests and reminders, sign-offs received, replies set aside and why), what
needs a person today, and what falls due in the next days (the amber window); then anything
for information. One line per case in each part (what there is to say about a case is joined on
its line), every date written one way ("3 August 2026"), and no personal data: references,
agency codes, file names and dates.

``done_items(action)`` is what an applied action adds to the next digest (the worker records it
in the state store as it applies the action); ``digest_context`` builds the template's data.
"""

from __future__ import annotations

import re
from datetime import date

from o365flow.core.model import Stage
from o365flow.plan.actions import ClearForPublication, CreateFolder, RecordFinalReport, RecordSignoff, RenderDocument, SendMail
from o365flow.plan.wording import due_phrase, long_date

DONE = "Done"  # the attention section of items recorded as actions are applied
DONE_TITLE, NEEDS_TITLE = "Done since the last digest", "Needs you today"
_REF = re.compile(r"^([A-Z][A-Z0-9]{1,11}-(?:CPR|APR|SUSR|MAPF)-\d{4}-\d{3})(?::\s+|\s+(?=\())(.*)$", re.S)
_UK = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# Where the planner's and the worker's attention sections go in the briefing.
NEEDS_YOU = ("Overdue", "Waiting on a person", "New cases")
_MAIL_DONE = {
    "request": "sign-off requested from",
    "reminder": "sign-off reminder sent to",
    "invitation": "learning event invitation sent to",
}  # learning shared is told "for information" already (``mail.attention_of``)


def done_items(action) -> list[tuple[str, str]]:
    """What an applied action puts in the "done since the last digest" part (no personal data).
    Stored as ``REF<tab>what<tab>detail`` so the digest can put a case's work on one line."""
    ref = getattr(action, "ref", "")
    if isinstance(action, CreateFolder):
        return [(DONE, f"{ref}\tcase folder created\t")]
    if isinstance(action, RenderDocument):
        return [(DONE, f"{ref}\tdocuments made\t{action.path.rsplit('/', 1)[-1]}")]
    if isinstance(action, SendMail) and action.purpose in _MAIL_DONE and action.agency:
        return [(DONE, f"{ref}\t{_MAIL_DONE[action.purpose]}\t{action.agency}")]
    if isinstance(action, RecordSignoff):
        return [(DONE, f"{ref}\tsigned off by\t{action.agency} ({long_date(action.day)})")]
    if isinstance(action, RecordFinalReport):
        return [(DONE, f"{ref}\tfinal report date recorded\t{long_date(action.day)}")]
    if isinstance(action, ClearForPublication):
        return [(DONE, f"{ref}\tfinal report checked for names: clear to publish\t")]
    return []


def uk_dates(text: str) -> str:
    """Every date in ``text`` written "3 August 2026" (lines come from several places)."""
    def fix(y: int, m: int, d: int, whole: str) -> str:
        try:
            return long_date(date(y, m, d))
        except ValueError:
            return whole

    text = _UK.sub(lambda m: fix(int(m[3]), int(m[2]), int(m[1]), m[0]), text)
    return _ISO.sub(lambda m: fix(int(m[1]), int(m[2]), int(m[3]), m[0]), text)


class _Part:
    """One part of the briefing: lines by case (in the order first met), then other lines."""

    def __init__(self, title: str, rag: str = ""):
        self.title, self.rag = title, rag
        self.cases: dict[str, list[str]] = {}
        self.rags: dict[str, str] = {}
        self.other: list[str] = []

    def add(self, text: str, rag: str = "") -> None:
        text = uk_dates(" ".join(text.split()))
        m = _REF.match(text)
        if not m:
            if text not in self.other:
                self.other.append(text)
            return
        ref, what = m[1], m[2].strip()
        said = self.cases.setdefault(ref, [])
        if what and what not in said:
            said.append(what)
        if rag == "Red" or (rag and not self.rags.get(ref)):
            self.rags[ref] = rag

    def rows(self) -> list[dict]:
        out = [{"case": ref, "text": "; ".join(said), "rag": self.rags.get(ref, self.rag)} for ref, said in self.cases.items()]
        return out + [{"case": "", "text": t, "rag": self.rag} for t in self.other]

    def section(self) -> dict:
        rows = self.rows()
        return {"title": self.title, "rag": self.rag, "rows": rows,
                "items": [f"{r['case']}: {r['text']}" if r["case"] else r["text"] for r in rows]}


def _done_lines(items: list[str]) -> dict[str, list[str]]:
    """``REF<tab>what<tab>detail`` items as one phrase list per case."""
    work: dict[str, dict[str, list[str]]] = {}
    for item in items:
        ref, what, detail = (item.split("\t") + ["", ""])[:3]
        details = work.setdefault(ref, {}).setdefault(what, [])
        if detail and detail not in details:
            details.append(detail)
    out = {}
    for ref, whats in work.items():
        phrases = []
        for what, details in whats.items():
            if what == "documents made":
                phrases.append(f"{len(details)} document{'s' if len(details) != 1 else ''} made")
            else:
                phrases.append(f"{what} {', '.join(details)}".strip())
        out[ref] = phrases
    return out


def digest_context(config, board, plan, extra_actions, attention: list[tuple[str, str]], today: date) -> dict | None:
    """The ``digest`` the template renders, or None when there is nothing to say.

    ``attention``: (section, text) pairs waiting since the last digest and noticed this pass;
    ``extra_actions``: this pass's actions (their work goes in the "done" part)."""
    soon_title = f"Due in the next {config.amber_days} days"
    done, needs, soon, info = (_Part(DONE_TITLE), _Part(NEEDS_TITLE, "Red"),
                               _Part(soon_title, "Amber"), _Part("For information"))
    done_raw = [text for section, text in attention if section == DONE]
    for a in extra_actions:
        done_raw += [text for _, text in done_items(a)]
    for ref, phrases in _done_lines(done_raw).items():
        for phrase in phrases:
            done.add(f"{ref}: {phrase}" if ref else phrase)
    for section, text in attention:
        if section == DONE:
            continue
        if section in NEEDS_YOU:
            needs.add(text, "Red" if section == "Overdue" else "Blue")
        elif section.startswith("Due in the next"):
            soon.add(text, "Amber")
        else:
            info.add(text)
    for view in plan.views.values():
        if view.stage is Stage.CLOSED or not view.next_deadline:
            continue
        # Every overdue clock is listed, not only the next one, and a hold hides none of them
        # (a paused clock moves on with the hold, so it is never overdue while held).
        for d in sorted(view.deadlines, key=lambda d: d.due):
            if not d.met and d.due < today and (view.rag or not view.on_hold):
                held = " (case on hold)" if view.on_hold else ""
                needs.add(f"{view.reference}: {due_phrase(d.label, d.due, overdue=True)}{held}", "Red")
        if view.rag == "Amber":
            soon.add(f"{view.reference}: {due_phrase(view.next_deadline_is, view.next_deadline)}", "Amber")
        if view.signoff_due and view.signoff_due < today and view.outstanding:
            needs.add(f"{view.reference}: action plan sign-off outstanding from {', '.join(view.outstanding)} "
                      f"(was due {long_date(view.signoff_due)})", "Red")
    parts = [p.section() for p in (done, needs, soon, info) if p.rows()]
    if not parts:
        return None
    counts = {"needs": len(needs.rows()), "soon": len(soon.rows()), "done": len(done.rows())}
    return {"date": long_date(today), "sections": parts, "summary": _summary(counts, config.amber_days), "counts": counts,
            "amber_days": config.amber_days}


def _summary(counts: dict, amber_days: int) -> str:
    worked = (f"since the last summary o365flow worked on {counts['done']} case{'s' if counts['done'] != 1 else ''}"
              if counts["done"] else "o365flow had nothing new to do since the last summary")
    return f"Today: {counts['needs']} to deal with, {counts['soon']} due in the next {amber_days} days; {worked}."


def needs_also(digest: dict, held: list[tuple[str, str, str, str]]) -> dict:
    """The digest with what the pass held as it applied its actions, after the digest was
    planned (``(reference, purpose, to whom, why)``: a message whose attachment failed its name
    check), in "Needs you today" and no longer among what was done, so the coordinator hears of
    it the same day."""
    if not held:
        return digest
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for ref, purpose, who, why in held:
        grouped.setdefault((ref, purpose, why), []).append(who)
    lines = [f"{ref}: the {purpose} to {', '.join(whom)} was held: {why}" for (ref, purpose, why), whom in grouped.items()]
    sections = _withdraw(list(digest["sections"]), held)
    at = next((i for i, s in enumerate(sections) if s["title"] == NEEDS_TITLE), None)
    needs = _Part(NEEDS_TITLE, "Red")
    for row in sections[at]["rows"] if at is not None else ():
        needs.add(f"{row['case']}: {row['text']}" if row["case"] else row["text"], row["rag"])
    for line in lines:
        needs.add(line, "Blue")
    if at is None:  # after "Done since the last digest", before the rest
        at = 1 if sections and sections[0]["title"] == DONE_TITLE else 0
        sections.insert(at, needs.section())
    else:
        sections[at] = needs.section()
    done = next((s for s in sections if s["title"] == DONE_TITLE), None)
    counts = {**digest["counts"], "needs": len(needs.rows()), "done": len(done["rows"]) if done else 0}
    return {**digest, "sections": sections, "counts": counts, "summary": _summary(counts, digest.get("amber_days", 14))}


def _withdraw(sections: list[dict], held) -> list[dict]:
    """The "done" part without the messages that were held after all."""
    at = next((i for i, s in enumerate(sections) if s["title"] == DONE_TITLE), None)
    if at is None:
        return sections
    gone = {(ref, _MAIL_DONE[purpose], who) for ref, purpose, who, _ in held if purpose in _MAIL_DONE}
    part = _Part(DONE_TITLE)
    for row in sections[at]["rows"]:
        phrases = []
        for phrase in row["text"].split("; "):
            what = next((w for w in _MAIL_DONE.values() if phrase.startswith(w + " ")), None)
            if what and row["case"]:
                left = [a for a in phrase[len(what) + 1:].split(", ") if (row["case"], what, a) not in gone]
                phrase = f"{what} {', '.join(left)}" if left else ""
            if phrase:
                phrases.append(phrase)
        if phrases:
            part.add(f"{row['case']}: {'; '.join(phrases)}" if row["case"] else "; ".join(phrases))
    if part.rows():
        return sections[:at] + [part.section()] + sections[at + 1:]
    return sections[:at] + sections[at + 1:]
