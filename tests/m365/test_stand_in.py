"""The stand-in itself: bearer tokens are required, sendMail is recorded, faults are queued."""

from __future__ import annotations

import requests

from o365flow.graph import Graph

pytest_plugins = ["tests.m365.fixtures"]  # fixtures m365, m365_settings


def test_graph_calls_need_a_valid_token(m365):
    response = requests.get(f"{m365.base_url}/v1.0/sites/{m365.site.id}/drives", verify=str(m365.pki.ca_path))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "InvalidAuthenticationToken"
    assert response.headers["request-id"]


def test_send_mail_is_recorded(m365, m365_settings):
    graph = Graph(m365_settings)
    message = {
        "subject": "[NWSB-CPR-2026-001] Sign-off request",
        "body": {"contentType": "Text", "content": "x"},
        "toRecipients": [{"emailAddress": {"address": "agency@example.org"}}],
    }
    response = graph.request("POST", "users/board@example.org/sendMail", json={"message": message})
    assert response.status_code == 202
    assert m365.mails == [{"user": "board@example.org", "message": message}]


def test_faults_match_path_and_count(m365, m365_settings):
    graph = Graph(m365_settings)
    m365.fail_next(503, retry_after=0, count=2, path_contains="/drives")
    graph.get_json(f"sites/{m365.site.id}/drives")
    assert [r.status for r in m365.requests("GET", "/drives")] == [503, 503, 200]


def test_workbook_values_are_taken_as_typed_input(m365, sharepoint):
    """Without an apostrophe, "=1+1" becomes a formula and "TRUE" a boolean, as in Excel: so the
    adapter's tests would catch text sent unprotected."""
    from io import BytesIO

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Cases"
    out = BytesIO()
    wb.save(out)
    sharepoint.write("Register", "book.xlsx", out.getvalue())
    graph, drive = sharepoint.graph, sharepoint._drive("Register")
    item = graph.get_json(f"drives/{drive}/root:/book.xlsx")
    base = f"drives/{drive}/items/{item['id']}/workbook"
    body = {"values": [["=1+1", "TRUE", "'=1+1", "42", "x"]], "numberFormat": [[None, None, None, None, "@"]]}
    graph.request("PATCH", f"{base}/worksheets/Cases/range(address='A1:E1')", json=body)
    ws = openpyxl.load_workbook(BytesIO(sharepoint.read("Register", "book.xlsx")))["Cases"]
    assert [c.value for c in ws[1]] == ["=1+1", True, "=1+1", 42, "x"]
    assert [c.data_type for c in ws[1]] == ["f", "b", "s", "n", "s"]
    assert ws["C1"].quotePrefix and ws["E1"].number_format == "@"
