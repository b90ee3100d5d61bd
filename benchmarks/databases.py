"""What differs between the databases: bulk SQL, statistics, sizes and plans.

One class per vendor (Django's `connection.vendor`: MariaDB is "mysql"); the
loaders and the harness only speak through these methods.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.management.color import no_style
from django.db import connection, models


class Dialect:
    vendor = ""
    # The route the loaders take on this database, as the results state it.
    load_route = ""
    # Whether explain() runs the statement (EXPLAIN ANALYZE does): the
    # harness then wraps a write's plan in a savepoint it rolls back.
    explain_executes = False

    def div(self, dividend: str, divisor: str) -> str:
        """Integer division, rounded down for the non-negative values used here."""
        return f"({dividend}) / ({divisor})"

    def pad(self, expr: str) -> str:
        raise NotImplementedError

    def concat(self, *parts: str) -> str:
        return " || ".join(parts)

    def timestamp(self, start: datetime, seconds: str) -> str:
        raise NotImplementedError

    def series_insert(
        self, table: str, columns: dict[str, str], count: int, where: str = ""
    ) -> str:
        raise NotImplementedError

    def insert_series(
        self,
        model: type[models.Model],
        columns: dict[str, str],
        count: int,
        where: str = "",
    ) -> int:
        """INSERT one row per i in 1..count; columns maps field name -> SQL."""
        sql_columns = {
            model._meta.get_field(name).column: expr for name, expr in columns.items()
        }
        sql = self.series_insert(model._meta.db_table, sql_columns, count, where)
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.rowcount

    def reset_sequences(self, model_list: Iterable[type[models.Model]]) -> None:
        # Rows were written with explicit ids; the next ORM insert must not
        # collide with them.
        statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def analyze(self, tables: list[str]) -> None:
        raise NotImplementedError

    def space(self, tables: list[str]) -> dict[str, dict[str, int]]:
        """Bytes per table: {"table": heap, "indexes": all its indexes}."""
        raise NotImplementedError

    def explain(self, cursor, sql: str, params) -> str:
        raise NotImplementedError

    def settings(self) -> dict[str, str]:
        return {}

    def render(self, sql: str, params) -> str:
        """The statement with its parameters in place, as the plans show it."""
        return connection.ops.last_executed_query(None, sql, params)


class PostgreSQL(Dialect):
    vendor = "postgresql"
    load_route = "INSERT ... SELECT FROM generate_series()"
    explain_executes = True

    def pad(self, expr: str) -> str:
        return f"lpad(({expr})::text, 7, '0')"

    def timestamp(self, start: datetime, seconds: str) -> str:
        return (
            f"(TIMESTAMPTZ '{start.isoformat()}' + ({seconds}) * INTERVAL '1 second')"
        )

    def series_insert(self, table, columns, count, where=""):
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        # bigint: i * 7919 overflows an integer from about 270,000 rows.
        return (
            f"INSERT INTO {connection.ops.quote_name(table)} ({names}) "
            f"SELECT {', '.join(columns.values())} "
            f"FROM generate_series(1::bigint, {count}) AS s(i)"
            + (f" WHERE {where}" if where else "")
        )

    def analyze(self, tables):
        # VACUUM too: a freshly loaded heap has no visibility map, so an
        # index-only scan would still visit every page; a table that has
        # lived in production has been vacuumed.
        names = ", ".join(connection.ops.quote_name(t) for t in tables)
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {names}")

    def space(self, tables):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, pg_table_size(oid), pg_indexes_size(oid)"
                " FROM pg_class WHERE relname = ANY(%s)",
                [tables],
            )
            return {
                name: {"table": table, "indexes": indexes}
                for name, table, indexes in cursor.fetchall()
            }

    def explain(self, cursor, sql, params):
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())

    def settings(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, current_setting(name) FROM pg_settings"
                " WHERE name = ANY(%s)",
                [
                    [
                        "shared_buffers",
                        "work_mem",
                        "jit",
                        "fsync",
                        "max_parallel_workers_per_gather",
                    ]
                ],
            )
            return dict(cursor.fetchall())

    def render(self, sql, params):
        return connection.ops.compose_sql(sql, params)


class SQLite(Dialect):
    vendor = "sqlite"
    load_route = "WITH RECURSIVE series ... INSERT ... SELECT"

    def pad(self, expr: str) -> str:
        return f"printf('%07d', {expr})"

    def timestamp(self, start: datetime, seconds: str) -> str:
        # The text Django writes for an aware datetime on SQLite (UTC, no zone).
        base = start.replace(tzinfo=None).isoformat(sep=" ")
        return f"datetime('{base}', '+' || ({seconds}) || ' seconds')"

    def series_insert(self, table, columns, count, where=""):
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        return (
            f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s"
            f" WHERE i < {count}) "
            f"INSERT INTO {connection.ops.quote_name(table)} ({names}) "
            f"SELECT {', '.join(columns.values())} FROM s"
            + (f" WHERE {where}" if where else "")
        )

    def analyze(self, tables):
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")

    def space(self, tables):
        sizes = {table: {"table": 0, "indexes": 0} for table in tables}
        with connection.cursor() as cursor:
            # dbstat: the pages each table and index really occupies.
            cursor.execute(
                "SELECT m.tbl_name, m.type, SUM(d.pgsize) FROM dbstat d"
                " JOIN sqlite_master m ON m.name = d.name GROUP BY m.tbl_name, m.type"
            )
            for table, kind, size in cursor.fetchall():
                if table in sizes:
                    sizes[table]["table" if kind == "table" else "indexes"] += size
        return sizes

    def explain(self, cursor, sql, params):
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        rows = cursor.fetchall()
        depth = {0: -1}
        lines = []
        for node, parent, _, detail in rows:
            depth[node] = depth.get(parent, -1) + 1
            lines.append("  " * depth[node] + detail)
        return "\n".join(lines)

    def settings(self):
        with connection.cursor() as cursor:
            found = {}
            for pragma in ("journal_mode", "synchronous", "cache_size", "page_size"):
                cursor.execute(f"PRAGMA {pragma}")
                found[pragma] = str(cursor.fetchone()[0])
            return found


class MariaDB(Dialect):
    vendor = "mysql"
    load_route = "INSERT ... SELECT FROM seq_1_to_N (the Sequence engine)"
    # ANALYZE <statement> runs it, as PostgreSQL's EXPLAIN ANALYZE does.
    explain_executes = True

    def div(self, dividend, divisor):
        # "/" is decimal division here, and an INSERT rounds the quotient.
        return f"({dividend}) DIV ({divisor})"

    def pad(self, expr):
        return f"LPAD(CAST(({expr}) AS CHAR), 7, '0')"

    def concat(self, *parts):
        # "||" is OR unless sql_mode has PIPES_AS_CONCAT.
        return f"CONCAT({', '.join(parts)})"

    def timestamp(self, start, seconds):
        # Django writes an aware datetime as UTC in a zone-less DATETIME(6).
        base = start.replace(tzinfo=None).isoformat(sep=" ")
        return f"(TIMESTAMP '{base}' + INTERVAL ({seconds}) SECOND)"

    def series_insert(self, table, columns, count, where=""):
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        # seq_1_to_0 counts down (1, 0): never ask for fewer than one row.
        conditions = [f"i <= {count}", *([where] if where else [])]
        return (
            f"INSERT INTO {connection.ops.quote_name(table)} ({names}) "
            f"SELECT {', '.join(columns.values())} "
            f"FROM (SELECT seq AS i FROM seq_1_to_{max(count, 1)}) AS s"
            f" WHERE {' AND '.join(conditions)}"
        )

    def analyze(self, tables):
        names = ", ".join(connection.ops.quote_name(t) for t in tables)
        with connection.cursor() as cursor:
            # ANALYZE TABLE answers with a status row per table.
            cursor.execute(f"ANALYZE TABLE {names}")
            cursor.fetchall()

    def space(self, tables):
        # InnoDB's own page counts, as fresh as the last ANALYZE TABLE.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_name, data_length, index_length"
                " FROM information_schema.tables"
                " WHERE table_schema = DATABASE() AND table_name IN %s",
                [tuple(tables)],
            )
            return {
                name: {"table": table, "indexes": indexes}
                for name, table, indexes in cursor.fetchall()
            }

    def explain(self, cursor, sql, params):
        # The tabular ANALYZE: each table's estimated rows beside r_rows, the
        # rows it really read.
        cursor.execute(f"ANALYZE {sql}", params)
        names = [column[0] for column in cursor.description]
        keep = ["id", "select_type", "table", "type", "key", "rows", "r_rows"]
        keep += ["filtered", "r_filtered", "Extra"]
        lines = []
        for row in cursor.fetchall():
            values = dict(zip(names, row, strict=True))
            lines.append(" | ".join(f"{name}={values.get(name)}" for name in keep))
        return "\n".join(lines)

    def settings(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT variable_name, variable_value"
                " FROM information_schema.global_variables"
                " WHERE variable_name IN %s",
                [
                    (
                        "INNODB_BUFFER_POOL_SIZE",
                        "INNODB_FLUSH_LOG_AT_TRX_COMMIT",
                        "INNODB_DOUBLEWRITE",
                        "LOG_BIN",
                        "VERSION",
                    )
                ],
            )
            return {name.lower(): value for name, value in cursor.fetchall()}

    def render(self, sql, params):
        if not params:
            return sql
        literal = connection.connection.literal
        quoted = []
        for param in params:
            value = literal(param)
            quoted.append(value.decode() if isinstance(value, bytes) else str(value))
        return sql % tuple(quoted)


DIALECTS = {dialect.vendor: dialect for dialect in (PostgreSQL(), SQLite(), MariaDB())}


def current() -> Dialect:
    return DIALECTS[connection.vendor]
