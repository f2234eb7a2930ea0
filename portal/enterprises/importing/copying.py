"""Insert unsaved model rows with PostgreSQL's COPY instead of multi-row INSERTs.

``bulk_create`` sends one INSERT per batch with every value as a bound parameter and reads the
new ids back; at a million profiles and their ten million list rows that round trip is most of
a load. COPY streams the same values, prepared by the fields themselves (``pre_save`` sets the
``auto_now`` times, ``get_db_prep_save`` gives the column value), so the rows are the ones
``bulk_create`` would write. Ids are taken from the table's own sequence first, so the caller
gets them as ``bulk_create`` gives them, and concurrent writers never collide.

Rows nobody needs back (a profile's list items, its industry links, its first version) can
skip the model instances: ``copy_values`` takes plain dicts of attribute values, fills what is
missing with the fields' defaults, and lets the table's sequence number them. At a million
profiles, building ten million model instances was a fifth of the load.

Like ``bulk_create`` this sends no signals: the writer tells the search outbox itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

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


def _prepared(field: models.Field, connection) -> Callable[[Any], Any]:
    """How to turn one model value of ``field`` into its column value."""
    if field.get_internal_type() in _AS_IS:
        return lambda value: value
    return lambda value: field.get_db_prep_save(value, connection)


def _missing(field: models.Field) -> Callable[[], Any]:
    """The model value of a field a row does not give: what a new instance would hold."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now
    return field.get_default


def copy_values(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts of attribute name to model value) into ``model``'s table by COPY,
    in the caller's transaction; absent attributes take the field's default (``auto_now``
    times: now), and an automatic primary key takes the next value of its sequence."""
    if not rows:
        return
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    automatic = meta.pk.get_internal_type() in {"AutoField", "BigAutoField", "SmallAutoField"}
    fields = [f for f in meta.concrete_fields if not (automatic and f.primary_key)]
    if connection.vendor != "postgresql":  # the embedded SQLite of ``make run``: no COPY
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=500)
        return
    getters = [(field.attname, _prepared(field, connection), _missing(field)) for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    statement = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
    absent = object()
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            values = []
            for attname, prepare, default in getters:
                value = row.get(attname, absent)
                values.append(prepare(default() if value is absent else value))
            copy.write_row(values)
