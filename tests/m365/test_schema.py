"""Every JSON object the stand-in returns names only properties Microsoft's Graph v1.0 schema
declares for its type (inherited ones included), so the backend is tested against real shapes."""

from __future__ import annotations

import re

import pytest

from tests.m365 import csdl

pytest_plugins = ["tests.m365.fixtures"]  # fixtures m365, m365_settings, sharepoint

# Which type each endpoint returns: (method, path pattern, type, is a collection)
ENDPOINTS = [
    ("GET", r"/v1\.0/sites/[^/]+:/.*", "site", False),
    ("GET", r"/v1\.0/sites/[^/]+/drives", "drive", True),
    ("GET", r".*/root/delta", "driveItem", True),
    ("GET", r".*/children", "driveItem", True),
    ("POST", r".*/children", "driveItem", False),
    ("PUT", r".*/content", "driveItem", False),
    ("GET", r".*/permissions", "permission", True),
    ("POST", r".*/invite", "permission", True),
    ("POST", r".*/createUploadSession", "uploadSession", False),
    ("GET", r"/upload/.*", "uploadSession", False),
    ("PUT", r"/upload/.*", "uploadSession|driveItem", False),
    ("POST", r".*/workbook/createSession", "workbookSessionInfo", False),
    ("PATCH", r".*/workbook/worksheets/.*", "workbookRange", False),
    ("GET", r".*/workbook/tables/[^/]+/range", "workbookRange", False),
    ("POST", r".*/workbook/tables/[^/]+/rows/add", "workbookTableRow", False),
    ("GET", r"/v1\.0/drives/[^/]+", "drive", False),
    ("GET", r"/v1\.0/drives/[^/]+/(root|items/[^/]+)(:/.*)?", "driveItem", False),
]


def _type_of(method: str, path: str) -> tuple[str, bool] | None:
    for verb, pattern, kind, many in ENDPOINTS:
        if verb == method and re.fullmatch(pattern, path):
            return kind, many
    return None


def test_schema_loads_inherited_properties():
    item = csdl.properties("microsoft.graph.driveItem")
    assert {"id", "name", "eTag", "parentReference", "folder", "deleted"} <= set(item)
    assert "nonsense" not in item
    assert csdl.problems({"id": "1", "nonsense": 1}, "microsoft.graph.driveItem") == ["driveItem.nonsense"]


def test_every_response_matches_the_schema(m365, sharepoint):
    m365.page_size = 2
    sp = sharepoint
    sp.upload_threshold, sp.chunk_size = 400 * 1024, 320 * 1024
    first = sp.changes("Reviews", None)
    sp.write("Reviews", "C1/01 Referral/form.docx", b"form")
    sp.write("Reviews", "C1/big.bin", b"x" * (700 * 1024))
    sp.make_folder("Reviews", "C1/02 Panel")
    sp.list("Reviews", recursive=True)
    sp.stat("Reviews", "C1")
    sp.read("Reviews", "C1/01 Referral/form.docx")
    sp.restrict_access("Reviews", "C1", ["coordinator@example.org", "3f2b6c1e-0000-4000-8000-000000000001"])
    sp.delete("Reviews", "C1/01 Referral/form.docx")
    sp.changes("Reviews", first.cursor)
    session = sp.graph.request(
        "POST", f"{sp._addr(sp._drive('Reviews'), 'C1/next.bin', '/createUploadSession')}", json={}
    ).json()
    sp.graph.request("GET", session["uploadUrl"], authenticated=False)
    sp.graph.request("GET", f"drives/{sp._drive('Reviews')}")
    _workbook_calls(sp)

    checked, problems, seen = 0, [], set()
    for method, path, body in m365.responses:
        if "error" in body or "oauth2" in path or "openid-configuration" in path or "/_api/" in path:
            # Entra ID and SharePoint REST are not Graph: no CSDL for them.
            continue
        kind = _type_of(method, path)
        assert kind is not None, f"no schema type mapped for {method} {path}"
        names, many = kind
        values = body.get("value", []) if many else [body]
        for value in values:
            name = "driveItem" if "|" in names and "id" in value else names.split("|")[0]
            problems += csdl.problems(value, f"microsoft.graph.{name}", f"{method} {path}: ")
            checked += 1
            seen.add(name)
    assert not problems, problems
    assert checked > 30
    assert seen == {
        "site", "drive", "driveItem", "permission", "uploadSession",
        "workbookSessionInfo", "workbookRange", "workbookTableRow",
    }


def _workbook_calls(sp) -> None:
    from o365flow.register import update_register
    from o365flow.core.columns import CASES_ORDER
    from o365flow.register.model import CellEdit, RegisterEdits, RowAppend

    sp.write("Register", "Register.xlsx", update_register(None, [{"Reference": "R-1"}], []))
    sp.update_workbook(
        "Register",
        "Register.xlsx",
        RegisterEdits(
            cells=(CellEdit("Cases", "B2", "CPR"),),
            rows=(RowAppend("Cases", "Cases", ("R-2",) + (None,) * (len(CASES_ORDER) - 1)),),
        ),
    )


@pytest.mark.parametrize(
    "bad", [{"folder": {"childCount": 1, "colour": "red"}}, {"parentReference": {"drive": "x"}}]
)
def test_nested_complex_types_are_checked(bad):
    assert csdl.problems({"id": "1", **bad}, "microsoft.graph.driveItem")
