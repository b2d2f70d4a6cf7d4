"""The case register (台账): departments and their users, cases, every version of a case's data,
generated documents, reviews, computed deadlines and an append-only audit log, in SQLite (embedded
default) or PostgreSQL.

Modules, one job each: ``settings`` (environment), ``engine`` (engines, sessions), ``models``
(tables), ``migrate`` (+ ``migrations/``), ``casedata`` (validating submitted case data),
``versions`` (cases, versions, optimistic locking), ``diff``, ``transfer`` (import/export of case
files), ``documents`` (generated documents, reviews), ``audit``, ``backup``, ``integrity``, ``roles``,
``passwords`` (argon2id), ``accounts`` (departments, users, API tokens), ``login`` (throttling),
``access`` (which cases a user sees and changes), ``cli``.

Importing this package imports nothing else: the CLI mounts ``caseregister.cli`` at start-up.
"""
