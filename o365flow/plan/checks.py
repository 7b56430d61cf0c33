"""Checks a coordinator would want, said in the digest each day until put right. Pure.

An extended Child or Adult Practice Review is led by two reviewers, at least one independent of
the agencies involved [GUIDANCE]. The register's 'Reviewers' cell lists them (separated by ';');
a reviewer is counted as independent when the cell says so next to the name, e.g.
"Dr A Reviewer (independent)". Names are never repeated in the digest: only the counts.
"""

from __future__ import annotations

from o365flow.core.model import CaseView, Stage
from o365flow.plan.context import split_names


def reviewer_checks(view: CaseView, row: dict | None) -> list[str]:
    if view.decision != "Extended review" or view.stage is not Stage.IN_REVIEW:
        return []
    reviewers = split_names((row or {}).get("Reviewers"))
    problems = []
    if len(reviewers) < 2:
        problems.append(f"{len(reviewers)} reviewer(s) named")
    if not any("independent" in r.lower() for r in reviewers):
        problems.append("none marked \u201c(independent)\u201d")
    if not problems:
        return []
    return [f"{view.reference}: an extended review is led by two reviewers, at least one independent of the "
            f"agencies involved; the register's 'Reviewers' has {' and '.join(problems)}"]
