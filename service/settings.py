"""Service limits and options. Every number is documented in the README (网页服务) and can be
changed by an environment variable of the same name prefixed with ``ECOCLAIM_``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

MB = 1024 * 1024


def _int(name: str, default: int) -> int:
    raw = os.environ.get(f"ECOCLAIM_{name}")
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


def _float(name: str, default: float) -> float:
    raw = os.environ.get(f"ECOCLAIM_{name}")
    try:
        return float(raw) if raw else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    #: Bearer token required on every ``/api`` call when set (``ECOCLAIM_TOKEN``).
    token: str | None = field(default_factory=lambda: os.environ.get("ECOCLAIM_TOKEN") or None)
    #: Host names accepted besides localhost, IP addresses and the bound address when no token is set
    #: (comma-separated; ``*`` accepts any), against DNS rebinding (``ECOCLAIM_ALLOWED_HOSTS``).
    allowed_hosts: str = field(default_factory=lambda: os.environ.get("ECOCLAIM_ALLOWED_HOSTS", ""))
    #: The address ``ecoclaim serve`` listens on (set by service.run; also an allowed host name).
    bind_host: str = field(default_factory=lambda: os.environ.get("ECOCLAIM_BIND_HOST", ""))
    #: Largest case file (JSON/YAML body) accepted by validate / generate / timeline.
    max_case_bytes: int = field(default_factory=lambda: _int("MAX_CASE_BYTES", 2 * MB))
    #: Largest single uploaded document for check (the readers' own limit is 20 MB).
    max_file_bytes: int = field(default_factory=lambda: _int("MAX_FILE_BYTES", 20 * MB))
    #: Most documents in one check request.
    max_files: int = field(default_factory=lambda: _int("MAX_FILES", 20))
    #: Largest whole request body of a check (all files and fields together).
    max_upload_bytes: int = field(default_factory=lambda: _int("MAX_UPLOAD_BYTES", 50 * MB))
    #: Request-body bytes being received at once over all requests (uploads are held in memory until
    #: answered); a body that does not fit is refused with 503 and Retry-After. Default: twice the
    #: largest check request.
    upload_budget_bytes: int = field(default_factory=lambda: _int("UPLOAD_BUDGET_BYTES",
                                                                  2 * _int("MAX_UPLOAD_BYTES", 50 * MB)))
    #: Time for a request body to arrive in whole (a slow or stalled upload is answered 408 after).
    body_timeout: float = field(default_factory=lambda: _float("BODY_TIMEOUT", 60.0))
    #: Wall-clock budget of one request's work (reading, checking, rendering); answered with 503 after.
    request_timeout: float = field(default_factory=lambda: _float("REQUEST_TIMEOUT", 60.0))
    #: Threads doing CPU work (validation, rendering, checking) at once; further requests wait.
    workers_threads: int = field(default_factory=lambda: _int("WORK_THREADS", 8))
    #: The register's short requests (台账, board, case page, who is asking) running at once in their
    #: own thread pool (service.registerthreads); default the processors, at least 2.
    register_threads: int = field(default_factory=lambda: max(1, _int("REGISTER_THREADS", max(2, os.cpu_count() or 1))))
    #: Worker processes running document checks (each warmed at start; one whose check overruns the
    #: time-out is killed and replaced).
    check_workers: int = field(default_factory=lambda: _int("CHECK_WORKERS", max(2, min(4, os.cpu_count() or 1))))
    #: LibreOffice converters running at once (each is one soffice process with its own profile).
    pdf_converters: int = field(default_factory=lambda: _int("PDF_CONVERTERS", 1))
    #: PDF requests allowed to wait for a converter; more are refused at once with 503.
    pdf_queue: int = field(default_factory=lambda: _int("PDF_QUEUE", 8))
    #: Time one conversion may take before its soffice process group is killed.
    pdf_timeout: float = field(default_factory=lambda: _float("PDF_TIMEOUT", 60.0))
    #: Whether the login cookie carries ``Secure`` (sent over HTTPS only). On by default; set
    #: ``ECOCLAIM_COOKIE_SECURE=0`` only for a development server on ``http://`` (browsers do send a
    #: Secure cookie to ``http://localhost``, but not to other plain-HTTP hosts).
    cookie_secure: bool = field(default_factory=lambda: os.environ.get("ECOCLAIM_COOKIE_SECURE", "1").strip()
                                not in ("0", "false", "no", "off"))
    #: Minutes a web session stays valid without a request (idle expiry).
    session_idle_minutes: int = field(default_factory=lambda: _int("SESSION_IDLE_MINUTES", 30))
    #: Hours a web session lasts after the login, however active (absolute expiry).
    session_max_hours: int = field(default_factory=lambda: _int("SESSION_MAX_HOURS", 12))
