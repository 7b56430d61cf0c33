"""Storage port: a site made of document libraries. ``local`` is folders on disk; ``sharepoint``
is a SharePoint Online site through Microsoft Graph. Both pass the same contract tests."""

from o365flow.storage.base import Changes, Entry, FileCheckedOut, FileLocked, Storage

__all__ = ["Changes", "Entry", "FileCheckedOut", "FileLocked", "Storage"]
