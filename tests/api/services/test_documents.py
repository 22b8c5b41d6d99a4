"""The document cache: bytes, tags and gzip once; bounded by size, least recently used out."""

from __future__ import annotations

import gzip

import pytest

from api.routes.plans import _accepts_gzip
from api.services.documents import Document, DocumentCache


def test_a_document_has_a_strong_tag_and_gzip_bytes() -> None:
    """The tag names the bytes; the compressed copy inflates to them and has its own tag."""
    doc = Document.of(b'{"routes": []}' * 200, "application/json")
    assert doc.etag.startswith('"')
    assert doc.etag.endswith('"')
    assert doc.gzipped is not None
    assert gzip.decompress(doc.gzipped) == doc.content
    assert doc.gzip_etag != doc.etag
    assert Document.of(doc.content, "application/json").etag == doc.etag
    assert Document.of(b"tiny", "text/plain").gzipped is None


@pytest.mark.parametrize(("header", "matches"), [
    (None, False), ("", False), ('"other"', False), ("*", True), ("{etag}", True),
    ('"other", {etag}', True), ("W/{etag}", True), ("{gzip_etag}", True)])
def test_if_none_match(header: str | None, matches: bool) -> None:
    """Either representation's tag, weak or strong, in a list or ``*``, means current."""
    doc = Document.of(b"x" * 2000, "text/plain")
    if header is not None:
        header = header.format(etag=doc.etag, gzip_etag=doc.gzip_etag)
    assert doc.matches(header) is matches


@pytest.mark.parametrize(("header", "takes"), [
    (None, False), ("identity", False), ("gzip", True), ("gzip, deflate", True),
    ("br;q=1.0, gzip;q=0.5", True), ("gzip;q=0", False), ("*", True), ("gzip;q=x", False)])
def test_accept_encoding(header: str | None, takes: bool) -> None:
    """gzip is sent when listed (or ``*``) with a weight above zero."""
    assert _accepts_gzip(header) is takes


def test_the_cache_keeps_at_most_its_size() -> None:
    """Over the limit, the least recently read documents go first."""
    docs = {k: Document(bytes(100), "application/octet-stream", f'"{k}"') for k in "abcd"}
    cache = DocumentCache(max_bytes=300)
    for key in "abc":
        cache.put(key, docs[key])
    assert cache.get("a") is docs["a"]  # a is now the most recent
    cache.put("d", docs["d"])
    assert cache.get("b") is None
    assert [cache.get(k) for k in "acd"] == [docs["a"], docs["c"], docs["d"]]
    cache.put("huge", Document(bytes(301), "application/octet-stream", '"huge"'))
    assert cache.get("huge") is None
