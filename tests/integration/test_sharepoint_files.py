"""Locked files and large uploads through upload sessions on the stand-in."""

from __future__ import annotations

import pytest

from o365flow.errors import ConflictError

pytest_plugins = ["tests.m365.fixtures"]  # fixtures m365, m365_settings, sharepoint

LIB = "Reviews"


def test_locked_file_is_a_conflict(m365, sharepoint):
    sharepoint.write(LIB, "Register.xlsx", b"v1")
    m365.lock_item(LIB, "Register.xlsx")
    with pytest.raises(ConflictError, match="open or locked"):
        sharepoint.write(LIB, "Register.xlsx", b"v2")
    with pytest.raises(ConflictError, match="open or locked"):
        sharepoint.delete(LIB, "Register.xlsx")
    m365.lock_item(LIB, "Register.xlsx", locked=False)
    sharepoint.write(LIB, "Register.xlsx", b"v2")
    assert sharepoint.read(LIB, "Register.xlsx") == b"v2"


@pytest.fixture
def chunked(sharepoint):
    sharepoint.upload_threshold, sharepoint.chunk_size = 320 * 1024, 320 * 1024
    return sharepoint


def test_large_upload_with_a_chunk_failing_once(m365, chunked):
    data = bytes(range(256)) * 4000  # ~1 MB: four chunks
    m365.fail_next(503, retry_after=0, path_contains="/upload/", method="PUT")
    entry = chunked.write(LIB, "C1/recording.bin", data)
    assert entry.size == len(data)
    assert chunked.read(LIB, "C1/recording.bin") == data
    puts = [r.status for r in m365.requests("PUT", "/upload/")]
    assert puts == [503, 202, 202, 202, 201]


def test_large_upload_resumes_after_a_reset(m365, chunked):
    data = b"z" * (700 * 1024)
    m365.fail_next(kind="reset", path_contains="/upload/", method="PUT")
    assert chunked.write(LIB, "big.bin", data).size == len(data)
    assert chunked.read(LIB, "big.bin") == data


def test_large_upload_honours_if_match_and_create_only(m365, chunked):
    data = b"y" * (400 * 1024)
    first = chunked.write(LIB, "big.bin", data)
    chunked.write(LIB, "big.bin", data + b"more", if_match=first.etag)
    with pytest.raises(ConflictError):
        chunked.write(LIB, "big.bin", data, if_match=first.etag)
    with pytest.raises(ConflictError):
        chunked.write(LIB, "big.bin", data, create_only=True)
