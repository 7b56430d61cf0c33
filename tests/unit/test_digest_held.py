"""A message held as the pass applies it joins that pass's digest (planned before the hold was
known): said in "Needs you today", and no longer claimed as done."""

from o365flow.plan.digest import needs_also

REF = "NWSB-CPR-2026-001"


def digest(done_text: str) -> dict:
    return {
        "date": "3 August 2026",
        "sections": [{"title": "Done since the last digest", "rag": "", "items": [],
                      "rows": [{"case": REF, "text": done_text, "rag": ""}]}],
        "counts": {"needs": 0, "soon": 0, "done": 1},
        "summary": "",
        "amber_days": 14,
    }


def test_held_requests_are_needs_and_not_done():
    d = digest("case folder created; sign-off requested from DCC, POLICE")
    out = needs_also(d, [(REF, "request", "DCC", "an attachment may identify someone")])
    done, needs = out["sections"]
    assert done["rows"][0]["text"] == "case folder created; sign-off requested from POLICE"
    assert needs["title"] == "Needs you today"
    assert needs["items"] == [f"{REF}: the request to DCC was held: an attachment may identify someone"]
    assert out["counts"] == {"needs": 1, "soon": 0, "done": 1}
    assert out["summary"].startswith("Today: 1 to deal with")


def test_a_done_part_left_empty_goes():
    out = needs_also(digest("sign-off requested from DCC"), [(REF, "request", "DCC", "nothing to attach")])
    assert [s["title"] for s in out["sections"]] == ["Needs you today"]
    assert out["counts"]["done"] == 0 and "nothing new to do" in out["summary"]


def test_nothing_held_leaves_the_digest_as_it_was():
    d = digest("sign-off requested from DCC")
    assert needs_also(d, []) is d
