"""A failed Microsoft Graph (or SharePoint REST) response as one of ``o365flow.errors``, and how
long the server asked to be left alone."""

from __future__ import annotations

import random

from o365flow.errors import BackendError, ConflictError, FileLocked

#: Statuses worth another attempt: throttling and transient server trouble.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def retry_after(headers, attempt: int) -> float:
    """The server's ``Retry-After`` in seconds; without one (or with an HTTP date), exponential
    back-off with jitter."""
    value = headers.get("Retry-After") if headers is not None else None
    try:
        return max(0.0, float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return min(2.0**attempt, 30.0) * (0.5 + random.random() / 2)


def _graph_error(response) -> tuple[str, str]:
    """Graph's ``{"error": {code, message}}``, or SharePoint REST's ``{"odata.error": {code,
    message: {value}}}``."""
    try:
        body = response.json()
        error = body.get("error") or body.get("odata.error") or {}
        if isinstance(error, dict):
            message = error.get("message", "")
            if isinstance(message, dict):
                message = message.get("value", "")
            return str(error.get("code", "")), (str(message).splitlines() or [""])[0][:200]
    except ValueError:
        pass
    return "", response.reason or ""


def translate(response, what: str) -> Exception:
    """The project's exception for a failed Graph response about ``what``; its ``status``
    attribute is the HTTP status (``check --online`` names the missing permission from it)."""
    error = _translate(response, what)
    error.status = response.status_code  # type: ignore[attr-defined]
    return error


def _translate(response, what: str) -> Exception:
    status = response.status_code
    code, message = _graph_error(response)
    headers = response.headers
    request_id = (
        headers.get("request-id") or headers.get("SPRequestGuid") or headers.get("client-request-id") or "-"
    )
    detail = f"HTTP {status} {code}: {message} (request-id {request_id})"
    if status == 412:
        return ConflictError(f"{what} changed since it was read; {detail}")
    if status == 409:
        return ConflictError(f"{what} already exists; {detail}")
    if status == 423:  # the storage adapter refines it to FileCheckedOut where it can tell
        return FileLocked(
            f"{what} is open or locked in SharePoint; {detail}",
            hint="it will be retried on the next pass once closed",
        )
    if status == 401:
        return BackendError(
            f"Microsoft Graph rejected the app's token for {what}; {detail}",
            hint="check tenant_id, client_id and the app's certificate or secret",
        )
    if status == 403:
        return BackendError(
            f"Microsoft Graph denied access to {what}; {detail}",
            hint="the app likely lacks the Sites.Selected grant for this site "
            "(write, or fullcontrol to manage permissions); see docs/it-guide.md",
        )
    if status == 429 or status == 503:
        return BackendError(
            f"Microsoft Graph kept throttling {what} past the retry budget; {detail}",
            hint="the next pass will continue",
        )
    return BackendError(f"Microsoft Graph failed on {what}; {detail}")
