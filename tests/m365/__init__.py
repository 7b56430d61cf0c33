"""A stateful Microsoft 365 stand-in (Graph + sign-in) served over HTTPS on loopback, for tests.

``server.M365`` holds the state and the fault queue; ``fixtures`` is the pytest plugin
(fixtures ``m365``, ``m365_settings``, ``sharepoint``)."""
