# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The relationship values of customers: the scope, the per-customer batch
statement, the upsert that writes the batch, the partner link and the
company pass's row update (the company-wide scores, tiers and churn risk
themselves: company_queries).

Plain functions returning ``odoo.tools.SQL``; ``crm.relationship.metrics``
runs them. Definitions: docs/user-guide.md, "What the values mean"
(../shared/METRICS.md, section 1).
"""

from datetime import timedelta

from odoo.tools import SQL

# the company-wide values live in company_queries; their public names stay
# importable from here (users' code, the benchmarks)
from .company_queries import (  # noqa: F401
    COMPANY_COLUMNS,
    COMPANY_NAMES,
    COMPANY_READS,
    DEFAULT_MEDIAN_INTERVAL,
    RFM_GRID,
    RFM_SEGMENTS,
    as_stored,
    company_values,
    stored_values,
)

# Columns written by the per-customer batch query, in order.
BATCH_COLUMNS = [
    "first_order_date",
    "last_order_date",
    "lifetime_order_count",
    "lifetime_revenue",
    "average_order_value",
    "recency_days",
    "tenure_days",
    "rfm_frequency",
    "rfm_monetary",
    "purchase_interval_days",
    "expected_next_order_date",
    "product_category_count",
    "contact_count",
    "reactivation_date",
    "relationship_computed_on",
]
# the values table's column -> customer_values()' name for it
BATCH_NAMES = dict(
    zip(
        BATCH_COLUMNS,
        [
            "first_day",
            "last_day",
            "n_orders",
            "revenue",
            "aov",
            "recency",
            "tenure",
            "frequency",
            "monetary",
            "interval",
            "expected_next",
            "categories",
            "contacts",
            "reactivation",
            "computed_on",
        ],
        strict=True,
    )
)
REQUEST_COLUMNS = [
    "request_open_count",
    "request_overdue_count",
    "open_complaint_count",
    "open_complaint_days",
    "request_response_hours",
    "request_solve_hours",
]
# the values table's column -> request_values()' name for it
REQUEST_NAMES = dict(
    zip(
        REQUEST_COLUMNS,
        [
            "req_open",
            "req_overdue",
            "req_complaint",
            "req_complaint_days",
            "req_response",
            "req_solve",
        ],
        strict=True,
    )
)


def pg_format(template, names):
    """A translated ``%(name)s`` message made a PostgreSQL format() string:
    ``%%`` is a literal percent sign, the placeholders become positional
    (``%1$s``...) in the order of ``names``."""
    template = template.replace("%%", "%").replace("%", "%%")
    for position, name in enumerate(names, start=1):
        template = template.replace(f"%%({name})s", f"%{position}$s")
    return template


def scope_insert(company_ids, target="crm_relationship_queue"):
    """Insert into ``target`` (partner_id, company_id) every customer in scope
    of the companies: commercial partners with customer_rank > 0 whose
    company is empty or that company, and any commercial partner with a
    sales order in it (docs/user-guide.md, "Customer lifecycle")."""
    return SQL(
        """
        INSERT INTO %(target)s (partner_id, company_id)
        SELECT p.id, c.id
          FROM res_partner p
          JOIN res_company c ON c.id = ANY(%(companies)s)
         WHERE p.id = p.commercial_partner_id
           AND p.active
           AND p.customer_rank > 0
           AND (p.company_id IS NULL OR p.company_id = c.id)
        UNION
        SELECT DISTINCT p.commercial_partner_id, so.company_id
          FROM sale_order so
          JOIN res_partner p ON p.id = so.partner_id
         WHERE so.company_id = ANY(%(companies)s)
        """,
        target=SQL.identifier(target),
        companies=list(company_ids),
    )


def counted_lines(has_is_delivery):
    """Lines that count for categories, on ``sale_order_line l`` with
    ``product_template pt``: not a section or note, down payment, delivery fee
    or combo parent."""
    line_filter = SQL(
        "l.display_type IS NULL AND NOT COALESCE(l.is_downpayment, FALSE) "
        "AND pt.type != 'combo'"
    )
    if has_is_delivery:
        line_filter = SQL("%s AND NOT COALESCE(l.is_delivery, FALSE)", line_filter)
    return line_filter


def customer_values(
    partner_ids, company_id, tz, as_of, window_days, lost_after, has_is_delivery
):
    """partner_id then the values of BATCH_COLUMNS, one row per customer of
    ``partner_ids``: first and last order day, lifetime count, revenue and
    average, recency, tenure, RFM frequency and monetary over the window,
    purchase interval, expected next order, categories, contacts,
    reactivation, as_of (docs/user-guide.md, "What the values mean")."""
    window_start = as_of - timedelta(days=window_days)
    in_window = SQL("o.day > %s AND o.day <= %s", window_start, as_of)
    return SQL(
        """
        WITH scope AS (
            SELECT unnest(%(ids)s::int[]) AS partner_id
        ), o AS (
            SELECT p.commercial_partner_id AS partner_id,
                   so.id AS order_id,
                   so.partner_id AS contact_id,
                   (so.date_order AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                       AS day,
                   so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)
                       AS amount
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale'
               AND so.company_id = %(company)s
               AND p.commercial_partner_id = ANY(%(ids)s)
               -- orders up to the end of as_of: a month end of the history
               -- ignores the later ones (docs/history.md)
               AND so.date_order < (%(window_end)s::timestamp
                                    AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'
        ), agg AS (
            SELECT o.partner_id,
                   min(o.day) AS first_day,
                   max(o.day) AS last_day,
                   count(*) AS n_orders,
                   sum(o.amount) AS revenue,
                   count(*) FILTER (WHERE %(in_window)s) AS frequency,
                   COALESCE(sum(o.amount) FILTER (WHERE %(in_window)s), 0)
                       AS monetary,
                   count(DISTINCT o.contact_id) FILTER (WHERE %(in_window)s)
                       AS contacts
              FROM o
             GROUP BY o.partner_id
        ), days AS (
            SELECT d.partner_id, d.day,
                   d.day - lag(d.day) OVER (
                       PARTITION BY d.partner_id ORDER BY d.day) AS gap
              FROM (SELECT DISTINCT partner_id, day FROM o) d
        ), dagg AS (
            SELECT partner_id,
                   count(*) AS n_days,
                   max(day) FILTER (WHERE gap > %(lost_after)s) AS reactivation
              FROM days
             GROUP BY partner_id
        ), cat AS (
            -- from the tables, not from "o": the planner then knows how
            -- many orders are in the window (the order date between the
            -- window's first and last local midnights) and joins their
            -- lines by hash when they are many
            SELECT partner_id, count(*) AS categories
              FROM (
            SELECT DISTINCT p.commercial_partner_id AS partner_id, pt.categ_id
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
              JOIN sale_order_line l ON l.order_id = so.id
              JOIN product_product pp ON pp.id = l.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE so.state = 'sale'
               AND so.company_id = %(company)s
               AND p.commercial_partner_id = ANY(%(ids)s)
               AND so.date_order >= (%(window_first)s::timestamp
                                     AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'
               AND so.date_order < (%(window_end)s::timestamp
                                    AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'
               AND %(line_filter)s
                   ) pc
             GROUP BY partner_id
        ), res AS (
            SELECT s.partner_id,
                   a.first_day, a.last_day,
                   COALESCE(a.n_orders, 0) AS n_orders,
                   a.revenue,
                   a.revenue / NULLIF(a.n_orders, 0) AS aov,
                   %(as_of)s::date - a.last_day AS recency,
                   %(as_of)s::date - a.first_day AS tenure,
                   COALESCE(a.frequency, 0) AS frequency,
                   a.monetary,
                   CASE WHEN dg.n_days >= 2
                        THEN (a.last_day - a.first_day)::float / (dg.n_days - 1)
                   END AS interval,
                   COALESCE(c.categories, 0) AS categories,
                   COALESCE(a.contacts, 0) AS contacts,
                   dg.reactivation
              FROM scope s
              LEFT JOIN agg a ON a.partner_id = s.partner_id
              LEFT JOIN dagg dg ON dg.partner_id = s.partner_id
              LEFT JOIN cat c ON c.partner_id = s.partner_id
        )
        SELECT partner_id, first_day, last_day, n_orders, revenue, aov, recency,
               tenure, frequency, monetary, interval,
               last_day + floor(interval + 0.5)::int AS expected_next,
               categories, contacts, reactivation, %(as_of)s::date AS computed_on
          FROM res
        """,
        ids=list(partner_ids),
        tz=tz,
        company=company_id,
        in_window=in_window,
        lost_after=lost_after,
        line_filter=counted_lines(has_is_delivery),
        as_of=as_of,
        window_first=window_start + timedelta(days=1),
        window_end=as_of + timedelta(days=1),
    )


def upsert(columns, batch, company_id, uid):
    """Insert or update the rows of the batch (partner_id and ``columns``,
    read by name), writing only rows whose values differ; returns
    (partner_id, is_new)."""
    cols = SQL(", ").join(SQL.identifier(c) for c in columns)
    b_cols = SQL(", ").join(SQL.identifier("b", c) for c in columns)
    excluded = SQL(", ").join(SQL("EXCLUDED.%s", SQL.identifier(c)) for c in columns)
    current = SQL(", ").join(SQL("m.%s", SQL.identifier(c)) for c in columns)
    return SQL(
        """
        INSERT INTO crm_relationship_metrics AS m
               (partner_id, %(cols)s, company_id,
                create_uid, create_date, write_uid, write_date)
        SELECT b.partner_id, %(b_cols)s, %(company)s, %(uid)s,
               now() AT TIME ZONE 'UTC',
               %(uid)s, now() AT TIME ZONE 'UTC'
          FROM (%(batch)s) b
        ON CONFLICT (partner_id, company_id) DO UPDATE
           SET (%(cols)s, write_uid, write_date)
             = (%(excluded)s, EXCLUDED.write_uid, EXCLUDED.write_date)
         WHERE (%(current)s) IS DISTINCT FROM (%(excluded)s)
        RETURNING m.partner_id, m.xmax = 0
        """,
        cols=cols,
        b_cols=b_cols,
        excluded=excluded,
        current=current,
        company=company_id,
        uid=uid,
        batch=batch,
    )


def link_partners(partner_ids, company_id):
    """Point the company-dependent many2one of these customers to their row,
    where it does not yet."""
    return SQL(
        """
        UPDATE res_partner p
           SET relationship_metrics_id =
               COALESCE(p.relationship_metrics_id, '{}'::jsonb)
               || jsonb_build_object(%(key)s::text, m.id)
          FROM crm_relationship_metrics m
         WHERE m.partner_id = p.id
           AND m.company_id = %(company)s
           AND m.partner_id = ANY(%(ids)s)
           AND (p.relationship_metrics_id ->> %(key)s) IS NULL
        """,
        key=str(company_id),
        company=company_id,
        ids=list(partner_ids),
    )


def in_scope(column, partner_ids=None):
    """``column`` among ``partner_ids``; TRUE when they are None (every
    customer of the company)."""
    if partner_ids is None:
        return SQL("TRUE")
    return SQL("%s = ANY(%s)", column, list(partner_ids))


def update_rows(company_id, columns, query, values, partner_ids=None):
    """Write ``columns`` of the company's rows from ``query`` (one row per
    partner_id, read as ``v``; ``values``: its expressions in the order of
    ``columns``), where they differ; only the rows of ``partner_ids`` when
    given."""
    current = SQL(", ").join(SQL("t.%s", SQL.identifier(c)) for c in columns)
    return SQL(
        """
        UPDATE crm_relationship_metrics t
           SET (%(cols)s) = ROW(%(values)s)
          FROM (%(query)s) v
         WHERE t.company_id = %(company)s AND t.partner_id = v.partner_id
           AND %(scope)s
           AND (%(current)s) IS DISTINCT FROM (%(values)s)
        """,
        scope=in_scope(SQL("t.partner_id"), partner_ids),
        cols=SQL(", ").join(SQL.identifier(c) for c in columns),
        values=values,
        query=query,
        company=company_id,
        current=current,
    )


def rows_outside(partner_ids, company_id):
    """One row when the company has rows of customers not in ``partner_ids``."""
    return SQL(
        """
        SELECT 1 FROM crm_relationship_metrics
         WHERE company_id = %s AND partner_id <> ALL(%s)
         LIMIT 1
        """,
        company_id,
        list(partner_ids),
    )
