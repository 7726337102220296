# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Month-end history: the customers of a past day, the values table of one
computation as of that day, and the snapshot rows written from it.

Plain functions returning ``odoo.tools.SQL``; ``crm.relationship.snapshot``
runs them. Definitions: docs/history.md (../shared/METRICS.md, section 8).
"""

from datetime import timedelta

from odoo.tools import SQL

# The name the values of a past day take while they are computed: a temporary
# table of the session named like the values table hides it (PostgreSQL looks
# in the session's temporary schema first), so that the same statements and
# the same stage rules (ORM searches) read the past values (docs/history.md,
# "One engine for today and the past").
VALUES_TABLE = "crm_relationship_metrics"


def customers_as_of(company_id, tz, as_of):
    """The customers (commercial partners) with a confirmed order of the
    company on or before ``as_of`` (a local day)."""
    return SQL(
        """
        SELECT DISTINCT p.commercial_partner_id
          FROM sale_order so
          JOIN res_partner p ON p.id = so.partner_id
         WHERE so.state = 'sale'
           AND so.company_id = %(company)s
           AND so.date_order < (%(end)s::timestamp AT TIME ZONE %(tz)s)
                               AT TIME ZONE 'UTC'
         ORDER BY 1
        """,
        company=company_id,
        tz=tz,
        end=as_of + timedelta(days=1),
    )


def create_values_table():
    """The session's temporary values table, shaped like the real one; it
    disappears at the end of the transaction at the latest."""
    return SQL(
        "CREATE TEMPORARY TABLE %s (LIKE public.%s) ON COMMIT DROP",
        SQL.identifier(VALUES_TABLE),
        SQL.identifier(VALUES_TABLE),
    )


def drop_values_table():
    """Drop the temporary values table: the real one is seen again."""
    return SQL("DROP TABLE IF EXISTS pg_temp.%s", SQL.identifier(VALUES_TABLE))


def insert_values(columns, batch, company_id):
    """Insert ``batch`` (partner_id and the values of ``columns``, read by
    name) for the company into the temporary values table. A customer
    keeps the id of its real row (contact searches reach the values through
    the partner's link to that id); one without a real row gets minus its
    partner id."""
    names = SQL(", ").join(SQL.identifier(c) for c in columns)
    return SQL(
        """
        INSERT INTO pg_temp.%(table)s (id, partner_id, company_id, %(names)s)
        SELECT COALESCE(real.id, -b.partner_id), b.partner_id, %(company)s,
               %(b_names)s
          FROM (%(batch)s) AS b
          LEFT JOIN public.%(table)s real
                 ON real.partner_id = b.partner_id
                AND real.company_id = %(company)s
        """,
        table=SQL.identifier(VALUES_TABLE),
        names=names,
        b_names=SQL(", ").join(SQL("b.%s", SQL.identifier(c)) for c in columns),
        batch=batch,
        company=company_id,
    )


def write_snapshots(company_id, date, columns, partner_ids, stage_ids, tz, uid):
    """Write the snapshot rows of ``date`` from the temporary values table
    (``columns``: names shared by both tables), with each customer's stage
    (``partner_ids`` and ``stage_ids``, side by side), its stage at the
    previous month end and the orders it confirmed in the month
    (delete_snapshots() first: rows are replaced)."""
    names = SQL(", ").join(SQL.identifier(c) for c in columns)
    return SQL(
        """
        WITH stages AS (
            SELECT * FROM unnest(%(partners)s::int[], %(stages)s::int[])
                          AS s(partner_id, stage_id)
        ), month_orders AS (
            SELECT p.commercial_partner_id AS partner_id, count(*) AS n
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale'
               AND so.company_id = %(company)s
               AND so.date_order >= (%(first)s::timestamp AT TIME ZONE %(tz)s)
                                    AT TIME ZONE 'UTC'
               AND so.date_order < (%(end)s::timestamp AT TIME ZONE %(tz)s)
                                   AT TIME ZONE 'UTC'
             GROUP BY 1
        )
        INSERT INTO crm_relationship_snapshot
               (partner_id, company_id, date, stage_id, from_stage_id,
                month_order_count, ordered_in_month, cohort_age_months,
                %(names)s, create_uid, create_date, write_uid, write_date)
        SELECT t.partner_id, %(company)s, %(date)s, s.stage_id, prev.stage_id,
               COALESCE(mo.n, 0), (COALESCE(mo.n, 0) > 0)::int,
               (12 * (extract(year FROM %(date)s::date)
                      - extract(year FROM t.first_order_date))
                + extract(month FROM %(date)s::date)
                - extract(month FROM t.first_order_date))::int,
               %(t_names)s,
               %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s,
               now() AT TIME ZONE 'UTC'
          FROM pg_temp.%(table)s t
          LEFT JOIN stages s ON s.partner_id = t.partner_id
          LEFT JOIN month_orders mo ON mo.partner_id = t.partner_id
          -- the stage at the previous month end (written before: the
          -- history is written oldest first), for the stage flow
          LEFT JOIN crm_relationship_snapshot prev
                 ON prev.partner_id = t.partner_id
                AND prev.company_id = %(company)s
                AND prev.date = %(previous)s
         WHERE t.company_id = %(company)s
        """,
        previous=date.replace(day=1) - timedelta(days=1),
        partners=list(partner_ids),
        stages=list(stage_ids),
        company=company_id,
        date=date,
        first=date.replace(day=1),
        end=date + timedelta(days=1),
        tz=tz,
        names=names,
        t_names=SQL(", ").join(SQL("t.%s", SQL.identifier(c)) for c in columns),
        table=SQL.identifier(VALUES_TABLE),
        uid=uid,
    )


def delete_snapshots(company_id, date):
    """Remove the company's snapshot rows of ``date`` (before they are
    written again)."""
    return SQL(
        "DELETE FROM crm_relationship_snapshot WHERE company_id = %s AND date = %s",
        company_id,
        date,
    )


def month_ends(first, last):
    """The month ends from the one of ``first``'s month to ``last``
    (itself a month end), oldest first."""
    result = []
    day = month_end(first)
    while day <= last:
        result.append(day)
        day = month_end(day + timedelta(days=1))
    return result


def month_end(day):
    """The last day of ``day``'s month."""
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def flow_view(table):
    """The stage flow: one row per customer and month end with the stage at
    the previous month end (none when the customer had no row then), for
    ``crm.relationship.snapshot.flow``: the snapshot's own columns, written
    with it (no join at read time)."""
    return SQL(
        """
        CREATE OR REPLACE VIEW %(view)s AS
        SELECT s.id, s.partner_id, s.company_id, s.date,
               s.from_stage_id, s.stage_id,
               (s.from_stage_id IS DISTINCT FROM s.stage_id) AS moved,
               s.rfm_monetary, s.predicted_clv
          FROM crm_relationship_snapshot s
        """,
        view=SQL.identifier(table),
    )
