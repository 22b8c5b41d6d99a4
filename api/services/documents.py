"""Stored documents served as bytes with a strong ETag, kept in memory once read.

A ready plan's documents (plan.json, KPIs, route sheets, maps) never change:
its job stored them all in one transaction and a succeeded job is never
re-run. They are cached under a key that includes the plan's ``finished_at``,
so even a re-stored plan would get new entries. The cache holds bytes (no
re-encoding of a large text per request) and is bounded by size (least
recently used out first). Each is also kept gzip-compressed (once, when
cached): plan.json shrinks about tenfold, and a client that accepts gzip (every
HTTP library does) gets those bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

#: Smallest document worth compressing (bytes).
_GZIP_FROM = 1024


@dataclass(frozen=True)
class Document:
    """A document's bytes (and gzip-compressed bytes), media type and strong entity tag.

    ``etag`` is the tag of the plain bytes, quoted as sent; the compressed
    representation's tag is ``gzip_etag`` (a strong tag names one byte sequence).
    """

    content: bytes
    media_type: str
    etag: str
    gzipped: bytes | None = None

    @classmethod
    def of(cls, content: bytes, media_type: str) -> Document:
        """A document with an entity tag computed from ``content``, compressed when it helps."""
        digest = hashlib.sha256(content).hexdigest()[:32]
        packed = gzip.compress(content, compresslevel=6, mtime=0) \
            if len(content) >= _GZIP_FROM else None
        if packed is not None and len(packed) >= len(content):
            packed = None
        return cls(content, media_type, f'"{digest}"', packed)

    @property
    def gzip_etag(self) -> str:
        """The entity tag of the gzip-compressed bytes."""
        return self.etag[:-1] + '-gzip"'

    def matches(self, if_none_match: str | None) -> bool:
        """Whether an ``If-None-Match`` header names this document (``*`` or either tag)."""
        if not if_none_match:
            return False
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or self.etag in tags or self.gzip_etag in tags


class DocumentCache:
    """Documents by key, up to ``max_bytes`` in all (thread-safe, least recently used out)."""

    def __init__(self, max_bytes: int) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._items: OrderedDict[Hashable, Document] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Document | None:
        """The document under ``key``, or None."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, document: Document) -> Document:
        """Keep ``document`` under ``key`` (unless it alone is over the limit); return it."""
        size = len(document.content) + len(document.gzipped or b"")
        if size > self._max_bytes:
            return document
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old.content) + len(old.gzipped or b"")
            self._items[key] = document
            self._bytes += size
            while self._bytes > self._max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.content) + len(dropped.gzipped or b"")
        return document
