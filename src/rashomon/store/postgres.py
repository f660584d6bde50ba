"""The server store: PostgreSQL through psycopg 3, behind the same ``Store`` interface as SQLite.

The store's SQL is written once, in SQLite's dialect (the embedded default). On PostgreSQL a
connection wrapper translates each statement once (and caches it), so every store method,
migration and page/feed helper runs unchanged on both engines:

| SQLite | PostgreSQL |
|---|---|
| ``?`` placeholders | ``%s`` (a literal ``%`` doubled) |
| ``INSERT OR IGNORE INTO t …`` | ``INSERT INTO t … ON CONFLICT DO NOTHING`` |
| ``INSERT OR REPLACE INTO t(cols) …`` | ``… ON CONFLICT (t's key) DO UPDATE SET col = EXCLUDED.col`` |
| ``json_extract(x, '$.k')`` | ``(x::jsonb ->> 'k')`` |
| ``json_each(x, '$.k') c`` (an array) | ``jsonb_array_elements(x::jsonb -> 'k') c`` |
| ``datetime('now')`` | UTC now as ``YYYY-MM-DD HH:MM:SS`` text |
| ``INTEGER PRIMARY KEY AUTOINCREMENT``, ``INTEGER``, ``REAL``, ``BLOB`` | ``BIGSERIAL PRIMARY KEY``, ``BIGINT``, ``DOUBLE PRECISION``, ``BYTEA`` |
| every table's implicit ``rowid`` | an explicit ``rowid BIGSERIAL`` column (insertion order) |
| ``CREATE VIRTUAL TABLE search USING fts5(…)`` | a table with a generated ``tsvector`` column and a GIN index (PostgreSQL's own text search) |
| ``PRAGMA user_version`` | the one-row table ``rashomon_schema`` |

A statement outside that subset raises ``StoreError`` naming it, rather than running with a
different meaning. Transactions: ``with store.db:`` is one PostgreSQL transaction (nested
blocks are savepoints); each migration runs in one transaction with its version bump, so a
migration that fails leaves the database at its previous version.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from functools import lru_cache

from ..errors import StoreError

DIALECT = "postgresql"
URL_PREFIXES = ("postgresql://", "postgres://")


def is_postgres_url(db: str) -> bool:
    return str(db).startswith(URL_PREFIXES)


# -- statement translation ------------------------------------------------------------------
_TYPE_MAP = [
    (re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\s+AUTOINCREMENT\b", re.I), "BIGSERIAL PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b", re.I), "BIGINT"),
    (re.compile(r"\bREAL\b", re.I), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b", re.I), "BYTEA"),
]
_NOW = "to_char(now() at time zone 'utc', 'YYYY-MM-DD HH24:MI:SS')"
_CREATE = re.compile(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\((.*)\)\s*$", re.I | re.S)
_FTS = re.compile(r"CREATE\s+VIRTUAL\s+TABLE\s+(\w+)\s+USING\s+fts5\s*\((.*)\)\s*$", re.I | re.S)
_INSERT = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+(\w+)\s*\(([^)]*)\)(.*)$", re.I | re.S)
_JSON = re.compile(r"json_extract\(\s*([\w.]+)\s*,\s*'\$\.(\w+)'\s*\)", re.I)
_JSON_EACH = re.compile(r"json_each\(\s*([\w.]+)\s*,\s*'\$\.(\w+)'\s*\)", re.I)


def split_script(script: str) -> list[str]:
    """The statements of a migration script (the store's scripts hold no ';' inside literals)."""
    return [s.strip() for s in script.split(";") if s.strip()]


def _columns(body: str) -> list[str]:
    """Top-level comma-separated parts of a CREATE TABLE body."""
    parts, depth, cur = [], 0, []
    for ch in body:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur).strip())
    return parts


def table_keys(scripts: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Each table's conflict key (its primary key) as declared in the migrations."""
    keys: dict[str, tuple[str, ...]] = {}
    for script in scripts:
        for stmt in split_script(script):
            m = _CREATE.match(stmt)
            if not m:
                continue
            table, body = m.group(1), m.group(2)
            for part in _columns(body):
                pk = re.match(r"PRIMARY\s+KEY\s*\(([^)]*)\)", part, re.I)
                if pk:
                    keys[table] = tuple(c.strip() for c in pk.group(1).split(","))
                elif re.search(r"\bPRIMARY\s+KEY\b", part, re.I):
                    keys[table] = (part.split()[0],)
            for part in _columns(body):  # UNIQUE columns are conflict targets where there is no other key
                if table not in keys and re.search(r"\bUNIQUE\b", part, re.I):
                    keys[table] = (part.split()[0],)
    return keys


def translate_ddl(stmt: str) -> list[str]:
    """One SQLite schema statement as PostgreSQL statements."""
    fts = _FTS.match(stmt)
    if fts:
        table = fts.group(1)
        cols = [p.split()[0] for p in _columns(fts.group(2)) if "=" not in p]
        indexed = [p.split()[0] for p in _columns(fts.group(2)) if "=" not in p and "UNINDEXED" not in p.upper()]
        document = " || ' ' || ".join(f"coalesce({c}, '')" for c in indexed) or "''"
        return [
            f"CREATE TABLE {table} ({', '.join(f'{c} TEXT' for c in cols)}, rowid BIGSERIAL, "
            f"tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', {document})) STORED)",
            f"CREATE INDEX {table}_tsv ON {table} USING GIN (tsv)",
        ]
    out = stmt
    for pattern, repl in _TYPE_MAP:
        out = pattern.sub(repl, out)
    out = re.sub(r"\(\s*datetime\('now'\)\s*\)", f"({_NOW})", out, flags=re.I)
    out = _JSON.sub(lambda m: f"({m.group(1)}::jsonb ->> '{m.group(2)}')", out)  # a migration's backfill
    create = _CREATE.match(out)
    if create and not re.search(r"\bBIGSERIAL\s+PRIMARY\s+KEY\b", create.group(2), re.I):
        out = f"CREATE TABLE {create.group(1)} ({create.group(2).rstrip()}, rowid BIGSERIAL)"
    elif create:  # the integer key is the rowid: keep the name SQLite code may use
        key = next(p.split()[0] for p in _columns(create.group(2)) if re.search(r"BIGSERIAL\s+PRIMARY", p, re.I))
        out = f"CREATE TABLE {create.group(1)} ({create.group(2).rstrip()}, rowid BIGINT GENERATED ALWAYS AS ({key}) STORED)"
    return [out]


def translate(sql: str, keys: dict[str, tuple[str, ...]]) -> str:
    """One SQLite data statement in PostgreSQL's dialect (see the module docstring)."""
    return _translate(sql, tuple(sorted((t, k) for t, k in keys.items())))


@lru_cache(maxsize=1024)
def _translate(sql: str, keys_items: tuple) -> str:
    keys = dict(keys_items)
    if re.match(r"\s*PRAGMA\b", sql, re.I):
        raise StoreError(f"PostgreSQL store: SQLite PRAGMA has no PostgreSQL meaning: {sql.strip()!r}")
    out = sql.replace("%", "%%")
    out = _place(out)
    out = _JSON.sub(lambda m: f"({m.group(1)}::jsonb ->> '{m.group(2)}')", out)
    out = _JSON_EACH.sub(lambda m: f"jsonb_array_elements({m.group(1)}::jsonb -> '{m.group(2)}')", out)
    out = re.sub(r"datetime\('now'\)", _NOW, out, flags=re.I)
    m = _INSERT.match(out)
    if m:
        mode, table, cols, rest = m.group(1).upper(), m.group(2), m.group(3), m.group(4).rstrip().rstrip(";")
        head = f"INSERT INTO {table}({cols}){rest}"
        if mode == "IGNORE":
            return head + " ON CONFLICT DO NOTHING"
        key = keys.get(table)
        if not key:
            raise StoreError(f"PostgreSQL store: no key known for table {table!r} in {sql.strip()!r}")
        names = [c.strip() for c in cols.split(",")]
        updates = [c for c in names if c not in key]
        action = "DO UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in updates) if updates else "DO NOTHING"
        return f"{head} ON CONFLICT ({', '.join(key)}) {action}"
    return out


def _place(sql: str) -> str:
    """``?`` placeholders as ``%s``, outside quoted literals."""
    out, quote = [], None
    for ch in sql:
        if quote:
            if ch == quote:
                quote = None
            out.append(ch)
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        else:
            out.append("%s" if ch == "?" else ch)
    return "".join(out)


# -- connection ----------------------------------------------------------------------------
class PgConnection:
    """A psycopg 3 connection that speaks the store's SQLite dialect (see the module docstring).

    Offers what the store uses of ``sqlite3.Connection``: ``execute``, ``executescript``,
    ``with conn:`` as a transaction, ``close``."""

    dialect = DIALECT

    def __init__(self, url: str, keys: dict[str, tuple[str, ...]]):
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise StoreError("PostgreSQL store needs psycopg 3: pip install 'psycopg[binary]'") from exc
        self.url = url
        self.keys = keys
        self._psycopg = psycopg
        try:
            self.conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"{redact(url)}: cannot connect to PostgreSQL ({first_line(exc)}). Check that the "
                             "server is running and the URL's user, host and database are right "
                             "(e.g. postgresql://user@localhost/rashomon).") from exc
        self._tx: list = []
        self._lock = threading.RLock()

    def execute(self, sql: str, params: Sequence = ()):
        with self._lock:
            try:
                return self.conn.execute(translate(sql, self.keys), tuple(params))
            except self._psycopg.errors.QueryCanceled as exc:
                raise StoreError(f"PostgreSQL cancelled a statement: {first_line(exc)}") from exc

    def executemany(self, sql: str, rows) -> None:
        with self._lock:
            with self.conn.cursor() as cur:
                cur.executemany(translate(sql, self.keys), [tuple(r) for r in rows])

    def executescript(self, script: str) -> None:
        with self._lock:
            for stmt in split_script(script):
                for pg in translate_ddl(stmt):
                    self.conn.execute(pg.replace("%", "%%"), ())

    def __enter__(self):
        self._lock.acquire()
        tx = self.conn.transaction()
        tx.__enter__()
        self._tx.append(tx)
        return self

    def __exit__(self, *exc):
        tx = self._tx.pop()
        try:
            return tx.__exit__(*exc)
        finally:
            self._lock.release()

    def advisory_lock(self, name: str):
        """A session-level lock across every process on this database (grouping runs one at a time)."""
        return _AdvisoryLock(self, name)

    def close(self) -> None:
        self.conn.close()


class _AdvisoryLock:
    def __init__(self, conn: PgConnection, name: str):
        self.conn, self.name = conn, name

    def __enter__(self):
        self.conn.conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (self.name,))
        return self

    def __exit__(self, *exc):
        self.conn.conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (self.name,))


def schema_version(conn: PgConnection) -> int:
    conn.conn.execute("CREATE TABLE IF NOT EXISTS rashomon_schema (version INTEGER NOT NULL)")
    row = conn.conn.execute("SELECT version FROM rashomon_schema").fetchone()
    return row[0] if row else 0


def migrate(conn: PgConnection, migrations: Sequence[str], label: str) -> None:
    """Apply the migrations this database lacks, each in one transaction with its version bump.
    Two processes opening a new database at once apply each migration once (advisory lock)."""
    with conn.advisory_lock("rashomon-migrate"):
        version = schema_version(conn)
        if version > len(migrations):
            raise StoreError(f"{label} was written by a newer Rashomon (schema {version}); upgrade Rashomon.")
        for number, script in enumerate(migrations[version:], start=version + 1):
            with conn:
                conn.executescript(script)
                conn.conn.execute("DELETE FROM rashomon_schema")
                conn.conn.execute("INSERT INTO rashomon_schema(version) VALUES (%s)", (number,))


def redact(url: str) -> str:
    """A URL safe to print: the password replaced."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
