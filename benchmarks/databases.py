"""What differs between the databases: bulk SQL, statistics, sizes and plans.

One class per vendor. A third database (MariaDB, issue 13) is one more class
here and one more entry in DIALECTS: the loaders only speak through these
methods.
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


class PostgreSQL(Dialect):
    vendor = "postgresql"
    load_route = "INSERT ... SELECT FROM generate_series()"

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


DIALECTS = {dialect.vendor: dialect for dialect in (PostgreSQL(), SQLite())}


def current() -> Dialect:
    return DIALECTS[connection.vendor]
