"""Finding a SharePoint site and its document libraries (Graph drives) by name, and keeping
their ids in the Graph session's cache between passes, so a pass does not look them up again.

A library deleted and made again has a new id: the first request that finds nothing in a drive
whose id came from the cache asks Graph whether the drive is still there (once per drive and
process); if not, the cached ids are forgotten and looked up afresh.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from o365flow.errors import BackendError


class SiteLookup:
    """The site and library half of ``SharePointStorage`` (which provides ``graph`` and the
    ``_site_id``, ``_drives`` and ``_confirmed`` it sets up from the cache)."""

    def _site(self) -> str:
        if self._site_id is None:
            url = urlsplit(self.graph.settings.site_url)
            site = self.graph.get_json(
                f"sites/{url.netloc}:/{quote(url.path.strip('/'))}",
                what=f"site {self.graph.settings.site_url}",
                missing_ok=True,
            )
            if site is None:
                raise BackendError(
                    f"SharePoint site {self.graph.settings.site_url} not found",
                    hint="check microsoft365.site_url",
                )
            self._site_id = site["id"]
            self.graph.cache.put("site", self._site_id)
        return self._site_id

    def resolve_site(self) -> str:
        """The site's web address, once Graph has found it (``check --online`` asks Graph even
        when the site's id is cached)."""
        self._forget_ids()
        self._site()
        return self.graph.settings.site_url

    def _drive(self, library: str) -> str:
        if library not in self._drives:
            for page in self.graph.pages(f"sites/{self._site()}/drives", what="the site's libraries"):
                for drive in page.get("value", []):
                    self._drives.setdefault(drive["name"], {"id": drive["id"], "webUrl": drive.get("webUrl", "")})
                    self._confirmed.add(drive["id"])
            if library not in self._drives:
                raise BackendError(
                    f"library '{library}' not found on {self.graph.settings.site_url}",
                    hint="create the document library or fix its name in the config",
                )
            self.graph.cache.put("drives", self._drives)
        return self._drives[library]["id"]

    def _stale(self, drive: str) -> bool:
        """True when ``drive`` came from the cache and Graph no longer knows it (its library was
        deleted and made again): the cached ids are forgotten, so the next call looks them up.
        Asked at most once per drive and process, only when something was not found."""
        if drive in self._confirmed:
            return False
        self._confirmed.add(drive)
        if self.graph.get_json(f"drives/{drive}?$select=id", what="a library", missing_ok=True) is not None:
            return False
        self._forget_ids()
        return True

    def _forget_ids(self) -> None:
        self._site_id, self._drives = None, {}
        self.graph.cache.forget("site")
        self.graph.cache.forget("drives")
