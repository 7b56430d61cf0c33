"""The one place that talks to Microsoft 365: settings, app-only sign-in, the shared client,
retries within a per-pass budget, JSON batching and error translation.

* ``auth``   -- ``GraphSettings`` (the ``[microsoft365]`` table) and ``SignIn`` (msal, tokens
  served from the cache while valid).
* ``cache``  -- ``SessionCache``: tokens and the site's ids kept between passes, in a 0600 file
  beside the state store.
* ``client`` -- ``Graph``: one per process, shared by storage and mail.
* ``errors`` -- a failed response as one of ``o365flow.errors``.

office365 and msal are imported lazily: a board on the local site never pays for them.
"""

from o365flow.graph.auth import GraphSettings
from o365flow.graph.cache import SessionCache
from o365flow.graph.client import BatchResult, Graph
from o365flow.graph.errors import translate

__all__ = ["BatchResult", "Graph", "GraphSettings", "SessionCache", "translate"]
