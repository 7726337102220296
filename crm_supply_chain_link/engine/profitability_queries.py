# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer profitability: gross margin, the events that cost to serve, and
the cost drivers that price them, per customer and per month.

Plain functions returning ``odoo.tools.SQL``; ``crm.relationship.metrics`` and
``crm.profitability.report`` run them. Definitions: docs/profitability.md
(../shared/METRICS.md, section 7).
"""

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


def events(company_id, tz, has_is_delivery, partner_ids=None, start=None, end=None):
    """The cost events of the company's customers, one row per customer, day,
    driver and request type (``n`` events, ``revenue`` and ``margin`` of the
    order rows, in company currency): confirmed orders and their counted
    lines (order day), done deliveries into a customer location that are not
    returns and done returns from one (day done, one per picking), customer
    requests (received), posted credit notes (invoice date), late or overdue
    orders (due day), cancelled orders (``lost``, their order day).
    ``partner_ids``: only these customers; ``start`` < day <= ``end`` when
    given (docs/profitability.md, "Cost events")."""
    scope = SQL("TRUE")
    if partner_ids is not None:
        scope = SQL("p.commercial_partner_id = ANY(%s)", list(partner_ids))
    days = SQL("TRUE")
    if start is not None:
        days = SQL("day > %s AND day <= %s", start, end)
    order_day = _local_day(SQL("so.date_order"), tz)
    return SQL(
        """
        SELECT * FROM (
            SELECT p.commercial_partner_id AS partner_id, %(order_day)s AS day,
                   CASE WHEN so.state = 'sale' THEN 'order' ELSE 'lost' END
                       AS driver,
                   NULL::varchar AS request_type, 1 AS n,
                   CASE WHEN so.state = 'sale' THEN so.amount_untaxed
                        / COALESCE(NULLIF(so.currency_rate, 0), 1) END AS revenue,
                   CASE WHEN so.state = 'sale' THEN
                       (SELECT COALESCE(sum(l.margin), 0) FROM sale_order_line l
                         WHERE l.order_id = so.id)
                       / COALESCE(NULLIF(so.currency_rate, 0), 1) END AS margin
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.company_id = %(company)s AND so.state IN ('sale', 'cancel')
               AND %(scope)s
            UNION ALL
            SELECT p.commercial_partner_id, %(order_day)s, 'order_line', NULL,
                   count(*), NULL, NULL
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
              JOIN sale_order_line l ON l.order_id = so.id
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE so.company_id = %(company)s AND so.state = 'sale'
               AND %(scope)s AND %(counted)s
             GROUP BY 1, 2
            UNION ALL
            SELECT p.commercial_partner_id, %(done_day)s,
                   CASE WHEN pk.return_id IS NULL THEN 'delivery' ELSE 'return' END,
                   NULL, 1, NULL, NULL
              FROM stock_picking pk
              JOIN sale_order so ON so.id = pk.sale_id
              JOIN res_partner p ON p.id = so.partner_id
              JOIN stock_location src ON src.id = pk.location_id
              JOIN stock_location dst ON dst.id = pk.location_dest_id
             WHERE pk.state = 'done' AND so.company_id = %(company)s AND %(scope)s
               AND ((pk.return_id IS NULL AND dst.usage = 'customer')
                    OR (pk.return_id IS NOT NULL AND src.usage = 'customer'))
            UNION ALL
            SELECT p.commercial_partner_id, %(request_day)s, 'request',
                   r.request_type, 1, NULL, NULL
              FROM crm_customer_request r
              JOIN res_partner p ON p.id = r.partner_id
             WHERE r.company_id = %(company)s AND %(scope)s
            UNION ALL
            SELECT p.commercial_partner_id, am.invoice_date, 'credit_note', NULL, 1,
                   NULL, NULL
              FROM account_move am
              JOIN res_partner p ON p.id = am.commercial_partner_id
             WHERE am.company_id = %(company)s AND am.move_type = 'out_refund'
               AND am.state = 'posted' AND %(scope)s
            UNION ALL
            SELECT p.commercial_partner_id, s.due_date, 'late_order', NULL, 1,
                   NULL, NULL
              FROM crm_order_service s
              JOIN res_partner p ON p.id = s.partner_id
             WHERE s.company_id = %(company)s
               AND s.service_level_state IN ('late', 'overdue') AND %(scope)s
        ) e
         WHERE %(days)s
        """,
        order_day=order_day,
        done_day=_local_day(SQL("pk.date_done"), tz),
        request_day=_local_day(SQL("r.request_date"), tz),
        company=company_id,
        scope=scope,
        days=days,
        counted=counted_lines(has_is_delivery),
    )


def driver_costs(company_id):
    """(driver, request_type, cost) of the company's active cost drivers."""
    return SQL(
        """
        SELECT driver, request_type, cost
          FROM crm_cost_driver
         WHERE company_id = %s AND active
        """,
        company_id,
    )


def _priced(events_query, company_id):
    """The events with the cost of the drivers that apply to each (a request
    driver with a type applies to requests of that type only; several drivers
    of one kind add up)."""
    return SQL(
        """
        SELECT e.*, e.n * COALESCE((
                   SELECT sum(d.cost) FROM crm_cost_driver d
                    WHERE d.company_id = %(company)s AND d.active
                      AND d.driver = e.driver
                      AND (d.request_type IS NULL
                           OR d.request_type = e.request_type)), 0) AS cost
          FROM (%(events)s) e
        """,
        company=company_id,
        events=events_query,
    )


def customer_profitability(partner_ids, company_id, tz, start, as_of, has_is_delivery):
    """partner_id, gross_margin, cost_to_serve of each customer of
    ``partner_ids`` over start < day <= as_of: the converted margin of the
    confirmed orders, the priced events (NULL when the customer had no event
    and no order) (docs/profitability.md, "Per customer")."""
    return SQL(
        """
        WITH ev AS (%(priced)s)
        SELECT s.partner_id,
               COALESCE(sum(ev.margin), 0) AS gross_margin,
               CASE WHEN count(ev.driver) FILTER (WHERE ev.driver != 'lost') > 0
                    THEN COALESCE(sum(ev.cost) FILTER (WHERE ev.driver != 'lost'), 0)
               END AS cost_to_serve
          FROM unnest(%(ids)s::int[]) AS s(partner_id)
          LEFT JOIN ev ON ev.partner_id = s.partner_id
         GROUP BY s.partner_id
        """,
        priced=_priced(
            events(company_id, tz, has_is_delivery, partner_ids, start, as_of),
            company_id,
        ),
        ids=list(partner_ids),
    )


def join_profitability(batch, profitability):
    """The batch's values followed by PROFIT_COLUMNS: gross margin and its
    percentage of the window's revenue (``monetary`` of the batch), cost to
    serve, net contribution and its percentage, profit class."""
    return SQL(
        """
        SELECT b.*, pf.gross_margin,
               CASE WHEN b.monetary > 0
                    THEN round((100 * pf.gross_margin / b.monetary)::numeric, 2)::float
               END,
               pf.cost_to_serve,
               pf.gross_margin - pf.cost_to_serve,
               CASE WHEN b.monetary > 0
                    THEN round((100 * (pf.gross_margin - pf.cost_to_serve)
                                / b.monetary)::numeric, 2)::float
               END,
               CASE WHEN pf.cost_to_serve IS NULL THEN NULL
                    WHEN pf.gross_margin - pf.cost_to_serve >= 0 THEN 'profitable'
                    ELSE 'unprofitable'
               END
          FROM (%s) b JOIN (%s) pf ON pf.partner_id = b.partner_id
        """,
        batch,
        profitability,
    )


MONTH_MEASURES = [
    "revenue",
    "gross_margin",
    *(f"{driver}_cost" for driver in DRIVERS),
    "cost_to_serve",
    "net_contribution",
    "order_count",
    "quotations_won",
    "quotations_lost",
]


def monthly_refresh(partner_ids, company_id, tz, has_is_delivery):
    """Write ``crm_profitability_month`` for these customers: one row per
    month holding any of their events, all time (rows of months without an
    event any more deleted, unchanged rows left alone)
    (docs/profitability.md, "Analysis")."""
    costs = SQL(", ").join(
        SQL(
            "COALESCE(sum(e.cost) FILTER (WHERE e.driver = %s), 0)",
            driver,
        )
        for driver in DRIVERS
    )
    columns = SQL(", ").join(SQL.identifier(c) for c in MONTH_MEASURES)
    excluded = SQL(", ").join(
        SQL("EXCLUDED.%s", SQL.identifier(c)) for c in MONTH_MEASURES
    )
    current = SQL(", ").join(SQL("t.%s", SQL.identifier(c)) for c in MONTH_MEASURES)
    return SQL(
        """
        WITH ev AS (%(priced)s), agg AS (
            SELECT e.partner_id, date_trunc('month', e.day)::date AS date,
                   COALESCE(sum(e.revenue), 0) AS revenue,
                   COALESCE(sum(e.margin), 0) AS gross_margin,
                   %(costs)s,
                   COALESCE(sum(e.cost) FILTER (WHERE e.driver != 'lost'), 0)
                       AS cost_to_serve,
                   COALESCE(sum(e.margin), 0)
                   - COALESCE(sum(e.cost) FILTER (WHERE e.driver != 'lost'), 0)
                       AS net_contribution,
                   count(*) FILTER (WHERE e.driver = 'order') AS order_count,
                   count(*) FILTER (WHERE e.driver = 'order') AS quotations_won,
                   count(*) FILTER (WHERE e.driver = 'lost') AS quotations_lost
              FROM ev e
             GROUP BY e.partner_id, date_trunc('month', e.day)
        ), del AS (
            DELETE FROM crm_profitability_month t
             WHERE t.company_id = %(company)s AND t.partner_id = ANY(%(ids)s)
               AND NOT EXISTS (SELECT 1 FROM agg a
                                WHERE a.partner_id = t.partner_id
                                  AND a.date = t.date)
        )
        INSERT INTO crm_profitability_month AS t
               (company_id, partner_id, date, %(columns)s)
        SELECT %(company)s, a.* FROM agg a
        ON CONFLICT (company_id, partner_id, date) DO UPDATE
           SET (%(columns)s) = ROW(%(excluded)s)
         WHERE (%(current)s) IS DISTINCT FROM (%(excluded)s)
        """,
        priced=_priced(
            events(company_id, tz, has_is_delivery, partner_ids), company_id
        ),
        costs=costs,
        company=company_id,
        ids=list(partner_ids),
        columns=columns,
        excluded=excluded,
        current=current,
    )


def report_view(has_partner_team):
    """``crm.profitability.report``: the stored months of the customers'
    events (``monthly_refresh``) with the customer's current dimensions
    (docs/profitability.md, "Analysis"). The sales team is the customer's
    (``res_partner.team_id``, with ``crm``), else its salesperson's."""
    return SQL(
        """
        SELECT t.id, t.company_id, t.partner_id, t.date, %(measures)s,
               t.quotations_won + t.quotations_lost AS quotations_decided,
               -- ratios of sums, computed by the model's _read_group_select
               NULL::float AS gross_margin_percent,
               NULL::float AS net_contribution_percent,
               NULL::float AS quotation_win_rate,
               p.user_id, %(team)s AS team_id, p.country_id, p.state_id,
               p.industry_id,
               m.value_tier, m.stage_id AS relationship_stage_id, m.profit_class
          FROM crm_profitability_month t
          -- left joins on unique keys (the rows always exist): PostgreSQL
          -- drops the ones a grouping does not read
          LEFT JOIN res_partner p ON p.id = t.partner_id
          LEFT JOIN res_users u ON u.id = p.user_id
          LEFT JOIN crm_relationship_metrics m
                 ON m.partner_id = t.partner_id AND m.company_id = t.company_id
        """,
        measures=SQL(", ").join(SQL("t.%s", SQL.identifier(c)) for c in MONTH_MEASURES),
        team=SQL("COALESCE(p.team_id, u.sale_team_id)")
        if has_partner_team
        else SQL("u.sale_team_id"),
    )
