# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The per-customer batch statement, assembled from named parts.

Each contributor (the orders, the requests, the receivables, and with
crm_supply_chain_link the service rates and the profitability) declares a
:class:`Part`: the columns of the values table it produces, by name, the
columns of other parts it reads, and how to build its query. :func:`assemble`
orders the parts by what they read (not by the order they were declared or
imported in), gives each its own named subquery and selects every column by
name: no contributor relies on the position of another's columns, and a part
that reads a column no part produces is refused (docs/architecture.md, "The
engine").

Plain functions returning ``odoo.tools.SQL``, testable without the models.
"""

from typing import NamedTuple

from odoo.tools import SQL


class Part(NamedTuple):
    """A contributor to the batch.

    ``build(inputs)`` returns a query of one row per customer of the batch:
    ``partner_id`` then every column of ``columns``, named so. ``inputs`` is
    a relation (``SQL``) holding ``partner_id`` and the columns of ``reads``,
    as the parts that produce them computed them; None when ``reads`` is
    empty. ``outer``: customers the part has no row for keep empty values
    (a LEFT JOIN) instead of leaving the batch.
    """

    name: str
    columns: tuple
    build: object
    reads: tuple = ()
    outer: bool = False


def ordered(parts):
    """``parts`` in an order where each part comes after the parts that
    produce what it reads (declaration order otherwise). Raise ValueError
    when a column is produced twice, when a part reads a column that no
    other part produces, or when parts read each other in a circle."""
    producer = {}
    for part in parts:
        for column in part.columns:
            if column in producer:
                raise ValueError(
                    f"column {column} is produced by parts {producer[column]} "
                    f"and {part.name}"
                )
            producer[column] = part.name
    for part in parts:
        for column in part.reads:
            if producer.get(column, part.name) == part.name:
                raise ValueError(
                    f"part {part.name} reads {column}, which no other part produces"
                )
    result, done, pending = [], set(), list(parts)
    while pending:
        ready = next(
            (p for p in pending if all(producer[c] in done for c in p.reads)), None
        )
        if ready is None:
            names = ", ".join(p.name for p in pending)
            raise ValueError(f"parts {names} read each other in a circle")
        result.append(ready)
        done.add(ready.name)
        pending.remove(ready)
    return result


def columns(parts):
    """The columns the assembled batch produces, in its order."""
    return [column for part in ordered(parts) for column in part.columns]


def _alias(part):
    return SQL.identifier(f"part_{part.name}")


def assemble(parts):
    """One query of one row per customer: ``partner_id`` then every part's
    columns (``columns(parts)``), each selected by its name from the
    subquery of the part that produces it."""
    parts = ordered(parts)
    producer = {column: part for part in parts for column in part.columns}
    ctes = []
    for part in parts:
        inputs = None
        if part.reads:
            sources = []
            for column in part.reads:
                if producer[column] not in sources:
                    sources.append(producer[column])
            first = sources[0]
            inputs = SQL(
                "(SELECT %s.partner_id, %s FROM %s%s)",
                _alias(first),
                SQL(", ").join(
                    SQL.identifier(f"part_{producer[c].name}", c) for c in part.reads
                ),
                _alias(first),
                SQL("").join(
                    SQL(
                        " JOIN %s ON %s = %s",
                        _alias(source),
                        SQL.identifier(f"part_{source.name}", "partner_id"),
                        SQL.identifier(f"part_{first.name}", "partner_id"),
                    )
                    for source in sources[1:]
                ),
            )
        ctes.append(SQL("%s AS (%s)", _alias(part), part.build(inputs)))
    root = parts[0]
    root_id = SQL.identifier(f"part_{root.name}", "partner_id")
    return SQL(
        "WITH %s SELECT %s, %s FROM %s%s",
        SQL(", ").join(ctes),
        root_id,
        SQL(", ").join(
            SQL.identifier(f"part_{part.name}", column)
            for part in parts
            for column in part.columns
        ),
        _alias(root),
        SQL("").join(
            SQL(
                " %s %s ON %s = %s",
                SQL("LEFT JOIN" if part.outer else "JOIN"),
                _alias(part),
                SQL.identifier(f"part_{part.name}", "partner_id"),
                root_id,
            )
            for part in parts[1:]
        ),
    )


def renamed(query, names):
    """``query`` (partner_id and values under its own names) with its values
    named as the values table's columns: ``names`` {column: the query's
    name for it}, in the order of the part's columns."""
    return SQL(
        "SELECT q.partner_id, %s FROM (%s) q",
        SQL(", ").join(
            SQL("%s AS %s", SQL.identifier("q", source), SQL.identifier(column))
            for column, source in names.items()
        ),
        query,
    )
