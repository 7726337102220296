# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The customers' months for the profitability analysis: the priced events
summed per customer and month, refreshed in the customer's batch, and the
analysis view over the stored months with the customer's current dimensions
(docs/profitability.md; ../shared/METRICS.md, section 7).

Plain functions returning ``odoo.tools.SQL``.
"""

from datetime import timedelta

from odoo.tools import SQL

from .profitability_queries import DRIVERS, _priced, events

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


def monthly_refresh(partner_ids, company_id, tz, has_is_delivery, since, as_of):
    """Write ``crm_profitability_month`` for these customers: one row per
    month holding any of their events, from the month of ``since`` (the first
    day of the RFM window) to ``as_of``; rows of those months without an event
    any more are deleted, unchanged rows left alone, and older months keep
    the figures they had (docs/profitability.md, "Analysis")."""
    costs = SQL(", ").join(
        SQL(
            "COALESCE(sum(e.cost) FILTER (WHERE e.driver = %s), 0)",
            driver,
        )
        for driver in DRIVERS
    )
    first_month = since.replace(day=1)
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
               AND t.date >= %(first_month)s
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
            events(
                company_id,
                tz,
                has_is_delivery,
                partner_ids,
                start=first_month - timedelta(days=1),
                end=as_of,
            ),
            company_id,
        ),
        first_month=first_month,
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
