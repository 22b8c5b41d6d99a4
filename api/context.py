"""What every request needs, made once per application by ``api.main.create_app``."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.config import Settings
from api.services.audit import AuditWriter
from api.services.documents import DocumentCache
from api.services.jobs import JobRunner


@dataclass
class Context:
    """Settings, database, job runner, audit writer, document cache and token-signing key."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    runner: JobRunner
    #: The audit writer's own engine (one connection).
    audit_engine: Engine
    audit: AuditWriter
    documents: DocumentCache
    signing_key: str = field(default="", repr=False)
