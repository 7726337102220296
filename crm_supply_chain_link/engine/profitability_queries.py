# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer profitability: gross margin, the events that cost to serve, and
the cost drivers that price them, per customer and per month.

Plain functions returning ``odoo.tools.SQL``; ``crm.relationship.metrics`` and
``crm.profitability.report`` run them. Definitions: docs/profitability.md
(../shared/METRICS.md, section 7).
"""

from datetime import timedelta

from odoo.tools import SQL

from odoo.addons.crm_relationship.engine.relationship_queries import counted_lines

DRIVERS = [
    "order",
    "order_line",
    "delivery",
    "return",
    "request",
    "credit_note",
    "late_order",
]


def _local_day(column, tz):
    return SQL("((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date", column, tz)


def _in_days(column, tz, start, end):
    """``column`` (a UTC timestamp) on a local day d with start < d <= end,
    written on the column itself so that its index can serve."""
    if start is None:
        return SQL("TRUE")
    return SQL(
        "%(col)s >= (%(first)s::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC' "
        "AND %(col)s < (%(stop)s::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'",
        col=column,
        first=start + timedelta(days=1),
        stop=end + timedelta(days=1),
        tz=tz,
    )


def events(company_id, tz, has_is_delivery, partner_ids=None, start=None, end=None):
    """The cost events of the company's customers, one row per event kind and
    document (``n`` events, ``revenue`` and ``margin`` of the order rows, in
    company currency): confirmed orders and their counted lines (order day),
    done deliveries into a customer location that are not returns and done
    returns from one (day done, one per picking), customer requests
    (received), posted credit notes (invoice date), late or overdue orders
    (due day), cancelled orders (``lost``, their order day).
    ``partner_ids``: only these customers; ``start`` < day <= ``end`` when
    given (docs/profitability.md, "Cost events")."""

    ids = None if partner_ids is None else sorted(set(partner_ids))

    def among(column):
        return SQL() if ids is None else _among(column, ids)

    dated = start is not None
    return SQL(
        """
        WITH so_w AS (
            SELECT so.id, p.commercial_partner_id AS partner_id, so.state,
                   %(order_day)s AS day,
                   COALESCE(NULLIF(so.currency_rate, 0), 1) AS rate,
                   so.amount_untaxed AS amount
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
              %(among)s
             WHERE so.company_id = %(company)s AND so.state IN ('sale', 'cancel')
               AND %(order_days)s
        ), ol AS (
            -- one pass over the lines: the order's margin and counted lines;
            -- from the tables, not from "so_w": the planner then knows how
            -- many orders there are and joins their lines by hash when they
            -- are many (an index lookup per order cost 1.8 s at M)
            SELECT l.order_id, COALESCE(sum(l.margin), 0) AS margin,
                   count(*) FILTER (WHERE %(counted)s) AS lines
              FROM sale_order_line l
              JOIN sale_order so ON so.id = l.order_id
              JOIN res_partner p ON p.id = so.partner_id
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              %(among)s
             WHERE so.company_id = %(company)s AND so.state = 'sale'
               AND %(order_days)s
             GROUP BY l.order_id
        )
        SELECT o.partner_id, o.day,
               CASE WHEN o.state = 'sale' THEN 'order' ELSE 'lost' END AS driver,
               NULL::varchar AS request_type, 1 AS n,
               CASE WHEN o.state = 'sale' THEN o.amount / o.rate END AS revenue,
               CASE WHEN o.state = 'sale' THEN COALESCE(ol.margin, 0) / o.rate END
                   AS margin
          FROM so_w o
          LEFT JOIN ol ON ol.order_id = o.id
        UNION ALL
        SELECT o.partner_id, o.day, 'order_line', NULL, ol.lines, NULL, NULL
          FROM so_w o
          JOIN ol ON ol.order_id = o.id
         WHERE ol.lines > 0
        UNION ALL
        SELECT p.commercial_partner_id, %(done_day)s,
               CASE WHEN pk.return_id IS NULL THEN 'delivery' ELSE 'return' END,
               NULL, 1, NULL, NULL
          FROM stock_picking pk
          JOIN sale_order so ON so.id = pk.sale_id
          JOIN res_partner p ON p.id = so.partner_id
          JOIN stock_location src ON src.id = pk.location_id
          JOIN stock_location dst ON dst.id = pk.location_dest_id
          %(among)s
         WHERE pk.state = 'done' AND so.company_id = %(company)s
           AND %(done_days)s
           AND ((pk.return_id IS NULL AND dst.usage = 'customer')
                OR (pk.return_id IS NOT NULL AND src.usage = 'customer'))
        UNION ALL
        SELECT p.commercial_partner_id, %(request_day)s, 'request',
               r.request_type, 1, NULL, NULL
          FROM crm_customer_request r
          JOIN res_partner p ON p.id = r.partner_id
          %(among)s
         WHERE r.company_id = %(company)s AND %(request_days)s
        UNION ALL
        SELECT am.commercial_partner_id, am.invoice_date, 'credit_note', NULL, 1,
               NULL, NULL
          FROM account_move am
          %(move_among)s
         WHERE am.company_id = %(company)s AND am.move_type = 'out_refund'
           AND am.state = 'posted' AND %(invoice_days)s
        UNION ALL
        -- the order rows hold the commercial partner, as the customer's
        -- service figures read them
        SELECT s.partner_id, s.due_date, 'late_order', NULL, 1, NULL, NULL
          FROM crm_order_service s
          %(service_among)s
         WHERE s.company_id = %(company)s
           AND s.service_level_state IN ('late', 'overdue') AND %(due_days)s
        """,
        order_day=_local_day(SQL("so.date_order"), tz),
        done_day=_local_day(SQL("pk.date_done"), tz),
        request_day=_local_day(SQL("r.request_date"), tz),
        order_days=_in_days(SQL("so.date_order"), tz, start, end),
        done_days=_in_days(SQL("pk.date_done"), tz, start, end),
        request_days=_in_days(SQL("r.request_date"), tz, start, end),
        invoice_days=SQL("am.invoice_date > %s AND am.invoice_date <= %s", start, end)
        if dated
        else SQL("TRUE"),
        due_days=SQL("s.due_date > %s AND s.due_date <= %s", start, end)
        if dated
        else SQL("TRUE"),
        company=company_id,
        among=among(SQL("p.commercial_partner_id")),
        move_among=among(SQL("am.commercial_partner_id")),
        service_among=among(SQL("s.partner_id")),
        counted=counted_lines(has_is_delivery),
    )


def _priced(events_query, company_id):
    """The events with the cost of the drivers that apply to each (a request
    driver with a type applies to requests of that type only; several drivers
    of one kind add up): two small hash joins."""
    return SQL(
        """
        SELECT e.*, e.n * (COALESCE(g.cost, 0) + COALESCE(t.cost, 0)) AS cost
          FROM (%(events)s) e
          LEFT JOIN (SELECT driver, sum(cost) AS cost FROM crm_cost_driver
                      WHERE company_id = %(company)s AND active
                        AND request_type IS NULL
                      GROUP BY driver) g ON g.driver = e.driver
          LEFT JOIN (SELECT driver, request_type, sum(cost) AS cost
                       FROM crm_cost_driver
                      WHERE company_id = %(company)s AND active
                        AND request_type IS NOT NULL
                      GROUP BY driver, request_type) t
                 ON t.driver = e.driver AND t.request_type = e.request_type
        """,
        company=company_id,
        events=events_query,
    )


def _among(column, ids):
    """A join keeping the rows whose ``column`` is one of ``ids`` (distinct):
    the planner knows the array's length, so it looks a small batch up by
    index and hashes a whole company (the semi-join ``IN (SELECT
    unnest(...))`` was estimated at 200 rows and looked 20,000 customers up
    one by one: 70 ms a scan at M)."""
    return SQL("JOIN unnest(%s::int[]) AS sc(id) ON sc.id = %s", ids, column)


def customer_profitability(partner_ids, company_id, tz, start, as_of, has_is_delivery):
    """partner_id, gross_margin, cost_to_serve of each customer of
    ``partner_ids`` over start < day <= as_of: the converted margin of the
    confirmed orders, the priced events (NULL when the customer had no event)
    (docs/profitability.md, "Per customer").

    The events of events() counted per customer and kind, not listed one by
    one: the customer's sums need no event's day (the window's bounds are
    converted to UTC once) and cancelled quotations cost nothing, so one pass
    over the window's orders and their lines and one count per other kind
    (tests: the sums equal those of the priced events)."""
    ids = sorted(set(partner_ids))
    among = _among(SQL("p.commercial_partner_id"), ids)
    return SQL(
        """
        WITH drv AS (
            SELECT driver, request_type, sum(cost) AS cost
              FROM crm_cost_driver
             WHERE company_id = %(company)s AND active
             GROUP BY driver, request_type
        ), c AS (
            -- the cost of one event of each kind without a request type
            SELECT COALESCE(sum(cost) FILTER (WHERE driver = 'order'), 0) AS o,
                   COALESCE(sum(cost) FILTER (WHERE driver = 'order_line'), 0)
                       AS l,
                   COALESCE(sum(cost) FILTER (WHERE driver = 'delivery'), 0) AS d,
                   COALESCE(sum(cost) FILTER (WHERE driver = 'return'), 0) AS r,
                   COALESCE(sum(cost) FILTER (WHERE driver = 'credit_note'), 0)
                       AS cn,
                   COALESCE(sum(cost) FILTER (WHERE driver = 'late_order'), 0)
                       AS late
              FROM drv WHERE request_type IS NULL
        ), o AS (
            SELECT so.id, p.commercial_partner_id AS partner_id,
                   COALESCE(NULLIF(so.currency_rate, 0), 1) AS rate
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
              %(among)s
             WHERE so.company_id = %(company)s AND so.state = 'sale'
               AND %(order_days)s
        ), oc AS (
            SELECT partner_id, count(*) AS n FROM o GROUP BY partner_id
        ), ol AS (
            SELECT o.partner_id, sum(l.margin / o.rate) AS margin,
                   count(*) FILTER (WHERE %(counted)s) AS lines
              FROM o
              JOIN sale_order_line l ON l.order_id = o.id
             GROUP BY o.partner_id
        ), pk AS (
            SELECT p.commercial_partner_id AS partner_id,
                   count(*) FILTER (WHERE pk.return_id IS NULL) AS deliveries,
                   count(*) FILTER (WHERE pk.return_id IS NOT NULL) AS returns
              FROM stock_picking pk
              JOIN sale_order so ON so.id = pk.sale_id
              JOIN res_partner p ON p.id = so.partner_id
              JOIN stock_location src ON src.id = pk.location_id
              JOIN stock_location dst ON dst.id = pk.location_dest_id
              %(among)s
             WHERE pk.state = 'done' AND so.company_id = %(company)s
               AND %(done_days)s
               AND ((pk.return_id IS NULL AND dst.usage = 'customer')
                    OR (pk.return_id IS NOT NULL AND src.usage = 'customer'))
             GROUP BY 1
        ), rq AS (
            SELECT p.commercial_partner_id AS partner_id, count(*) AS n,
                   sum(COALESCE(g.cost, 0) + COALESCE(t.cost, 0)) AS cost
              FROM crm_customer_request r
              JOIN res_partner p ON p.id = r.partner_id
              LEFT JOIN drv g ON g.driver = 'request' AND g.request_type IS NULL
              LEFT JOIN drv t ON t.driver = 'request'
                             AND t.request_type = r.request_type
              %(among)s
             WHERE r.company_id = %(company)s AND %(request_days)s
             GROUP BY 1
        ), cn AS (
            SELECT am.commercial_partner_id AS partner_id, count(*) AS n
              FROM account_move am
              %(move_among)s
             WHERE am.company_id = %(company)s AND am.move_type = 'out_refund'
               AND am.state = 'posted'
               AND am.invoice_date > %(start)s AND am.invoice_date <= %(as_of)s
             GROUP BY 1
        ), lt AS (
            -- the order rows hold the commercial partner, as the service
            -- figures of the customer read them
            SELECT s.partner_id, count(*) AS n
              FROM crm_order_service s
              %(service_among)s
             WHERE s.company_id = %(company)s
               AND s.service_level_state IN ('late', 'overdue')
               AND s.due_date > %(start)s AND s.due_date <= %(as_of)s
             GROUP BY 1
        )
        SELECT s.partner_id,
               COALESCE(ol.margin, 0) AS gross_margin,
               CASE WHEN oc.n > 0 OR ol.lines > 0 OR pk.deliveries > 0
                         OR pk.returns > 0 OR rq.n > 0 OR cn.n > 0 OR lt.n > 0
                    THEN COALESCE(oc.n, 0) * c.o + COALESCE(ol.lines, 0) * c.l
                         + COALESCE(pk.deliveries, 0) * c.d
                         + COALESCE(pk.returns, 0) * c.r + COALESCE(rq.cost, 0)
                         + COALESCE(cn.n, 0) * c.cn + COALESCE(lt.n, 0) * c.late
               END AS cost_to_serve
          FROM unnest(%(ids)s::int[]) AS s(partner_id)
          CROSS JOIN c
          LEFT JOIN oc ON oc.partner_id = s.partner_id
          LEFT JOIN ol ON ol.partner_id = s.partner_id
          LEFT JOIN pk ON pk.partner_id = s.partner_id
          LEFT JOIN rq ON rq.partner_id = s.partner_id
          LEFT JOIN cn ON cn.partner_id = s.partner_id
          LEFT JOIN lt ON lt.partner_id = s.partner_id
        """,
        company=company_id,
        among=among,
        move_among=_among(SQL("am.commercial_partner_id"), ids),
        service_among=_among(SQL("s.partner_id"), ids),
        order_days=_in_days(SQL("so.date_order"), tz, start, as_of),
        done_days=_in_days(SQL("pk.date_done"), tz, start, as_of),
        request_days=_in_days(SQL("r.request_date"), tz, start, as_of),
        start=start,
        as_of=as_of,
        counted=_counted_on_lines(has_is_delivery),
        ids=ids,
    )


def _counted_on_lines(has_is_delivery):
    """counted_lines() on ``sale_order_line l`` alone: the combo products (few)
    listed once, in an array computed before the scan, instead of joining
    every line to its product and template."""
    line_filter = SQL(
        "l.display_type IS NULL AND NOT COALESCE(l.is_downpayment, FALSE) "
        "AND l.product_id <> ALL (ARRAY(SELECT pp.id FROM product_product pp "
        "JOIN product_template pt ON pt.id = pp.product_tmpl_id "
        "WHERE pt.type = 'combo'))"
    )
    if has_is_delivery:
        line_filter = SQL("%s AND NOT COALESCE(l.is_delivery, FALSE)", line_filter)
    return line_filter


def profit_values(inputs, profitability):
    """partner_id then PROFIT_COLUMNS, named so: gross margin and its
    percentage of the window's revenue (``rfm_monetary`` of ``inputs``, the
    relation of the batch's order values), cost to serve, net contribution
    and its percentage, profit class."""
    return SQL(
        """
        SELECT i.partner_id, pf.gross_margin AS gross_margin,
               CASE WHEN i.rfm_monetary > 0
                    THEN round((100 * pf.gross_margin / i.rfm_monetary)::numeric,
                               2)::float
               END AS gross_margin_percent,
               pf.cost_to_serve AS cost_to_serve,
               pf.gross_margin - pf.cost_to_serve AS net_contribution,
               CASE WHEN i.rfm_monetary > 0
                    THEN round((100 * (pf.gross_margin - pf.cost_to_serve)
                                / i.rfm_monetary)::numeric, 2)::float
               END AS net_contribution_percent,
               CASE WHEN pf.cost_to_serve IS NULL THEN NULL
                    WHEN pf.gross_margin - pf.cost_to_serve >= 0 THEN 'profitable'
                    ELSE 'unprofitable'
               END AS profit_class
          FROM %s i JOIN (%s) pf ON pf.partner_id = i.partner_id
        """,
        inputs,
        profitability,
    )
