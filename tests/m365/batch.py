"""Graph's JSON batching (``POST /v1.0/$batch``), as Graph does it: up to 20 requests, each
answered on its own (status, headers, body) in one response; ``dependsOn`` runs a request only
after the ones it names succeeded (424 Failed Dependency otherwise). Each inner request goes
through the stand-in's own routing, fault queue and auth check; it is logged in ``batched``,
the outer POST in the request log."""

from __future__ import annotations

import json

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from .store import GraphFault

LIMIT = 20


def run_batch(m365, outer: Request):
    body = outer.get_json(silent=True) or {}
    items = body.get("requests")
    if not isinstance(items, list) or not items:
        raise GraphFault(400, "BadRequest", "Invalid batch payload format.")
    if len(items) > LIMIT:
        raise GraphFault(400, "BadRequest", f"Batch request exceeds the limit of {LIMIT} requests.")
    answers, status_of = [], {}
    for item in items:
        rid, method, url = str(item.get("id", "")), str(item.get("method", "GET")).upper(), str(item.get("url", ""))
        if not rid or not url.startswith("/") or rid in status_of:
            raise GraphFault(400, "BadRequest", "Each batch request needs a unique id and a relative url.")
        failed = [d for d in item.get("dependsOn") or [] if not 200 <= status_of.get(str(d), 424) < 300]
        if failed:
            answer = {"id": rid, "status": 424, "body": {"error": {"code": "FailedDependency", "message": "dependency failed"}}}
        else:
            answer = _one(m365, outer, rid, method, url, item)
        status_of[rid] = answer["status"]
        answers.append(answer)
    return m365.json({"responses": answers})


def _one(m365, outer: Request, rid: str, method: str, url: str, item: dict) -> dict:
    path, _, query = url.partition("?")
    headers = {k: v for k, v in (item.get("headers") or {}).items()}
    headers["Authorization"] = outer.headers.get("Authorization", "")
    data = json.dumps(item["body"]).encode() if "body" in item else None
    environ = EnvironBuilder(
        path="/v1.0" + path, query_string=query, method=method, headers=headers, data=data
    ).get_environ()
    inner = Request(environ)
    fault = m365._take_fault(inner)
    if fault is not None and fault.kind == "status":
        response = m365.error(fault.status, "activityLimitReached" if fault.status == 429 else "serviceNotAvailable", "Injected fault")
        if fault.retry_after is not None:
            response.headers["Retry-After"] = str(fault.retry_after)
    else:
        try:
            response = m365.dispatch(inner)
        except GraphFault as exc:
            response = m365.error(exc.status, exc.code, exc.message)
    m365.batched.append(m365.logged(method, inner.path, query, response.status_code))
    answer: dict = {"id": rid, "status": response.status_code, "headers": dict(response.headers.items())}
    if response.mimetype == "application/json":
        answer["body"] = json.loads(response.get_data())
    return answer
