"""Insert unsaved model rows with PostgreSQL's COPY instead of multi-row INSERTs.

``bulk_create`` sends one INSERT per batch with every value as a bound parameter and reads the
new ids back; at a million profiles and their ten million list rows that round trip is most of
a load. COPY streams the same values, prepared by the fields themselves (``pre_save`` sets the
``auto_now`` times, ``get_db_prep_save`` gives the column value), so the rows are the ones
``bulk_create`` would write. Ids are taken from the table's own sequence first, so the caller
gets them as ``bulk_create`` gives them, and concurrent writers never collide.

Like ``bulk_create`` this sends no signals: the writer tells the search outbox itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router

#: Field types whose column value on PostgreSQL is the attribute itself (``get_db_prep_save``
#: returns it unchanged there); COPY takes them as they are, which saves most of the
#: per-value cost. Every other field goes through its own preparation.
_AS_IS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "DateField",
        "DecimalField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallIntegerField",
        "TextField",
    }
)


def _allocate_ids(connection, model: type[models.Model], count: int) -> list[int]:
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _value_of(field: models.Field, connection) -> Callable[[models.Model], Any]:
    """How to read one column's value from a row: the attribute, or the field's preparation
    (``auto_now`` times, JSON, files: whatever ``bulk_create`` would send)."""
    as_is = field.get_internal_type() in _AS_IS and not getattr(field, "auto_now", False)
    as_is = as_is and not getattr(field, "auto_now_add", False)
    if as_is:
        attname = field.attname
        return lambda row: getattr(row, attname)
    return lambda row: field.get_db_prep_save(field.pre_save(row, add=True), connection)


def copy_rows(rows: Sequence[models.Model]) -> None:
    """Insert ``rows`` (unsaved instances of one model, in the caller's transaction) by COPY;
    each gets its primary key from the table's sequence unless it has one already."""
    if not rows:
        return
    model = type(rows[0])
    meta = model._meta
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":  # the embedded SQLite of ``make run``: no COPY
        model._default_manager.bulk_create(rows, batch_size=500)
        return
    if meta.pk.get_internal_type() in {"AutoField", "BigAutoField", "SmallAutoField"}:
        missing = [row for row in rows if row.pk is None]
        for row, pk in zip(missing, _allocate_ids(connection, model, len(missing)), strict=True):
            row.pk = pk
    fields = list(meta.concrete_fields)
    values = [_value_of(field, connection) for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([value(row) for value in values])
    for row in rows:
        row._state.adding = False
        row._state.db = alias
