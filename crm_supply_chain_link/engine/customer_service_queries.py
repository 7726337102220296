# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Per-customer service rates over the service window, and the service-level
policies' matching and evaluation.

Plain functions returning ``odoo.tools.SQL``; ``crm.relationship.metrics``
runs them. Definitions: docs/user-guide.md, "Service levels" (customer rates,
../shared/METRICS.md section 3) and docs/service-level-policies.md
("Statuses").
"""

from odoo.tools import SQL

from odoo.addons.crm_relationship.engine.relationship_queries import in_scope

from .service_queries import EPSILON

# the values of customer_rates(), in the order of the metrics columns
RATE_VALUES = (
    "srv_n",
    "srv_otif",
    "srv_on_time",
    "srv_in_full",
    "srv_perfect",
    "srv_fill",
    "srv_cycle",
    "srv_ret",
    "srv_late",
    "srv_at_risk",
)


def otif_threshold(default_threshold):
    """The OTIF target a customer (its metrics row ``m``) is measured against:
    its policy's OTIF target, else the company's risk threshold."""
    return SQL(
        """COALESCE((SELECT NULLIF(p.target_otif_rate, 0)
                       FROM crm_sla_policy p
                      WHERE p.id = m.sla_policy_id), %s::float)""",
        default_threshold,
    )


def customer_rates(partner_ids, company_id, start, as_of, default_threshold):
    """partner_id then RATE_VALUES, one row per customer of ``partner_ids``:
    the orders whose due day d is in start < d < as_of (docs/user-guide.md,
    "Service levels": per customer; an overdue order counts as a miss)."""
    return SQL(
        """
        WITH agg AS (
            SELECT partner_id, count(*) AS n,
                   count(*) FILTER (WHERE is_otif) AS otif,
                   count(*) FILTER (WHERE is_on_time) AS on_time,
                   -- delivered after as_of (a month end of the history):
                   -- not in full nor delivered on that day (docs/history.md)
                   count(*) FILTER (
                       WHERE is_in_full AND delivered_date <= %(as_of)s)
                       AS in_full,
                   count(*) FILTER (WHERE is_perfect_order) AS perfect,
                   sum(on_time_qty) AS on_time_qty, sum(ordered_qty) AS ordered,
                   avg(cycle_time_days) FILTER (
                       WHERE service_level_state IN ('on_time', 'late')
                         AND delivered_date <= %(as_of)s)
                       AS cycle,
                   sum(returned_qty) AS returned, sum(delivered_qty) AS delivered,
                   count(*) FILTER (
                       WHERE service_level_state IN ('late', 'overdue')) AS late
              FROM crm_order_service
             WHERE company_id = %(company)s
               AND partner_id = ANY(%(ids)s)
               AND service_level_state != 'na'
               AND due_date > %(start)s AND due_date < %(as_of)s
             GROUP BY partner_id
        )
        SELECT s.partner_id,
               COALESCE(a.n, 0) AS srv_n,
               round((100.0 * a.otif / a.n)::numeric, 2)::float AS srv_otif,
               round((100.0 * a.on_time / a.n)::numeric, 2)::float AS srv_on_time,
               round((100.0 * a.in_full / a.n)::numeric, 2)::float AS srv_in_full,
               round((100.0 * a.perfect / a.n)::numeric, 2)::float AS srv_perfect,
               round((100 * a.on_time_qty / NULLIF(a.ordered, 0))::numeric, 2)
                   ::float AS srv_fill,
               round(a.cycle::numeric, 2)::float AS srv_cycle,
               round((100 * a.returned / NULLIF(a.delivered, 0))::numeric, 2)
                   ::float AS srv_ret,
               COALESCE(a.late, 0) AS srv_late,
               COALESCE(a.n > 0 AND 100.0 * a.otif / a.n < %(threshold)s, FALSE)
                   AS srv_at_risk
          FROM unnest(%(ids)s::int[]) AS s(partner_id)
          LEFT JOIN agg a ON a.partner_id = s.partner_id
          LEFT JOIN crm_relationship_metrics m
                 ON m.partner_id = s.partner_id AND m.company_id = %(company)s
        """,
        company=company_id,
        ids=list(partner_ids),
        start=start,
        as_of=as_of,
        threshold=otif_threshold(default_threshold),
    )


def rate_values():
    """The expressions of ``v`` (a row of customer_rates) for an update."""
    return SQL(", ").join(SQL("v.%s", SQL.identifier(name)) for name in RATE_VALUES)


def service_reason_update(company_id, template, days, partner_ids=None):
    """The churn reason of customers at risk by service alone (the buying
    rhythm's risk under 50): the OTIF sentence (docs/user-guide.md, "Service
    levels": service at risk). Only ``partner_ids`` when given."""
    return SQL(
        """
        UPDATE crm_relationship_metrics
           SET churn_risk_reason = format(%(template)s, service_otif_rate,
                   %(days)s, service_late_order_count, service_order_count)
         WHERE company_id = %(company)s AND %(scope)s
           AND service_at_risk
           AND COALESCE(churn_risk, 0) < 50
           AND churn_risk_reason IS DISTINCT FROM format(%(template)s,
                   service_otif_rate, %(days)s, service_late_order_count,
                   service_order_count)
        """,
        template=template,
        days=days,
        company=company_id,
        scope=in_scope(SQL("partner_id"), partner_ids),
    )


def set_policies(company_id, partner_ids, policy_ids):
    """Write each customer's matched policy (None: no policy); return the
    customers whose policy changed (docs/service-level-policies.md, "A
    policy": the first matching active policy by sequence)."""
    return SQL(
        """
        UPDATE crm_relationship_metrics m
           SET sla_policy_id = v.policy_id
          FROM unnest(%(ids)s::int[], %(policies)s::int[])
               AS v(partner_id, policy_id)
         WHERE m.company_id = %(company)s
           AND m.partner_id = v.partner_id
           AND m.sla_policy_id IS DISTINCT FROM v.policy_id
     RETURNING m.partner_id
        """,
        ids=list(partner_ids),
        policies=list(policy_ids),
        company=company_id,
    )


def has_policy_values(company_id, partner_ids):
    """Whether one of these customers still carries a policy status or figure."""
    return SQL(
        """
        SELECT 1 FROM crm_relationship_metrics
         WHERE company_id = %s AND partner_id = ANY(%s)
           AND (sla_status != 'none' OR sla_order_count != 0
                OR sla_status_reason IS NOT NULL)
         LIMIT 1
        """,
        company_id,
        list(partner_ids),
    )


def _reason_parts(template, labels):
    """One "<target> <value> (target <limit>)" per used target within its
    warning margin (``labels``: otif, fill, cycle, ret)."""
    return SQL(", ").join(
        SQL(
            "CASE WHEN %(gap)s < warning_margin THEN format(%(tpl)s, %(label)s, "
            "%(value)s, %(limit)s) END",
            gap=SQL.identifier(f"{key}_gap"),
            tpl=template,
            label=labels[key],
            value=SQL.identifier(key),
            limit=SQL.identifier(limit),
        )
        for key, limit in (
            ("otif", "target_otif_rate"),
            ("fill", "target_fill_rate"),
            ("cycle", "target_cycle_time_days"),
            ("ret", "target_return_rate"),
        )
    )


def sla_evaluate(partner_ids, company_id, tz, as_of, template, labels):
    """The policy figures of these customers over their policy's window and
    tolerances, written where they changed; returns (metrics id, status) of
    the customers whose status changes (docs/service-level-policies.md,
    "Statuses": none, breached, warning, met)."""
    promise_day = SQL(
        "(s.first_promised_date AT TIME ZONE 'UTC' AT TIME ZONE %s)::date", tz
    )
    return SQL(
        """
        WITH pm AS (
            SELECT m.id, m.partner_id, m.sla_status AS old_status,
                   p.id AS policy_id, p.window_days,
                   p.late_tolerance_days AS late_tol,
                   p.qty_tolerance_percent AS qty_tol,
                   p.target_otif_rate, p.target_fill_rate,
                   p.target_cycle_time_days, p.target_return_rate,
                   COALESCE(p.warning_margin, 0) AS warning_margin
              FROM crm_relationship_metrics m
              LEFT JOIN crm_sla_policy p ON p.id = m.sla_policy_id
             WHERE m.company_id = %(company)s AND m.partner_id = ANY(%(ids)s)
        ), o AS (
            -- the customer's orders due in the policy's window, with the
            -- policy's late tolerance
            SELECT pm.id AS mid, s.id AS sid, s.delivered_date,
                   s.cycle_time_days, pm.qty_tol,
                   s.service_level_state IN ('on_time', 'late') AS closed,
                   %(promise_day)s + pm.late_tol AS due_day
              FROM pm
              JOIN crm_order_service s ON s.partner_id = pm.partner_id
                                      AND s.company_id = %(company)s
             WHERE pm.policy_id IS NOT NULL
               AND s.service_level_state != 'na'
               AND %(promise_day)s + pm.late_tol
                   > %(as_of)s::date - pm.window_days
               AND %(promise_day)s + pm.late_tol < %(as_of)s::date
        ), dl AS (
            -- quantity of each line delivered by the policy's due day
            SELECT ls.line_id, sum(mv.quantity / mu.factor * pu.factor) AS qty
              FROM o
              JOIN crm_order_line_service ls ON ls.service_id = o.sid
              JOIN sale_order_line l ON l.id = ls.line_id
              JOIN stock_move mv ON mv.sale_line_id = l.id
                                AND mv.product_id = l.product_id
                                AND mv.state = 'done'
              JOIN stock_location loc ON loc.id = mv.location_dest_id
                                     AND loc.usage = 'customer'
              JOIN uom_uom mu ON mu.id = mv.product_uom
              JOIN product_product pp ON pp.id = mv.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN uom_uom pu ON pu.id = pt.uom_id
             WHERE (mv.date AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                   <= o.due_day
             GROUP BY ls.line_id
        ), oagg AS (
            SELECT o.mid, o.sid,
                   bool_and(ls.delivered_qty >= ls.ordered_qty
                            * (1 - o.qty_tol / 100.0) - %(eps)s) AS in_full,
                   o.closed AND sum(ls.delivered_qty) > %(eps)s
                       AND o.delivered_date <= o.due_day AS on_time,
                   CASE WHEN o.closed THEN o.cycle_time_days END AS cycle,
                   sum(ls.ordered_qty) AS ordered,
                   sum(LEAST(COALESCE(dl.qty, 0), ls.ordered_qty)) AS on_time_qty,
                   sum(ls.returned_qty) AS returned,
                   sum(ls.delivered_qty) AS delivered
              FROM o
              JOIN crm_order_line_service ls ON ls.service_id = o.sid
              LEFT JOIN dl ON dl.line_id = ls.line_id
             GROUP BY o.mid, o.sid, o.closed, o.delivered_date, o.due_day,
                      o.cycle_time_days
        ), pagg AS (
            SELECT mid, count(*) AS n,
                   count(*) FILTER (WHERE on_time AND in_full) AS otif,
                   sum(on_time_qty) AS on_time_qty, sum(ordered) AS ordered,
                   avg(cycle) AS cycle,
                   sum(returned) AS returned, sum(delivered) AS delivered
              FROM oagg
             GROUP BY mid
        ), vals AS (
            SELECT pm.*, COALESCE(a.n, 0) AS n,
                   round((100.0 * a.otif / a.n)::numeric, 2)::float AS otif,
                   round((100 * a.on_time_qty / NULLIF(a.ordered, 0))::numeric, 2)
                       ::float AS fill,
                   round(a.cycle::numeric, 2)::float AS cycle,
                   round((100 * a.returned / NULLIF(a.delivered, 0))::numeric, 2)
                       ::float AS ret
              FROM pm
              LEFT JOIN pagg a ON a.mid = pm.id
        ), gaps AS (
            -- per used target, how far the figure is on the good side
            SELECT v.*,
                   CASE WHEN target_otif_rate > 0
                        THEN otif - target_otif_rate END AS otif_gap,
                   CASE WHEN target_fill_rate > 0
                        THEN fill - target_fill_rate END AS fill_gap,
                   CASE WHEN target_cycle_time_days > 0
                        THEN target_cycle_time_days - cycle END AS cycle_gap,
                   CASE WHEN target_return_rate > 0
                        THEN target_return_rate - ret END AS ret_gap
              FROM vals v
        ), st AS (
            SELECT g.id, g.old_status, g.n, g.otif, g.fill, g.cycle, g.ret,
                   CASE WHEN g.policy_id IS NULL OR g.n = 0 THEN 'none'
                        WHEN LEAST(otif_gap, fill_gap, cycle_gap, ret_gap) < 0
                            THEN 'breached'
                        WHEN LEAST(otif_gap, fill_gap, cycle_gap, ret_gap)
                             < warning_margin THEN 'warning'
                        ELSE 'met'
                   END AS status,
                   CASE WHEN g.policy_id IS NOT NULL AND g.n > 0
                        THEN NULLIF(concat_ws('; ', %(reason)s), '') END AS reason
              FROM gaps g
        ), upd AS (
            UPDATE crm_relationship_metrics m
               SET sla_order_count = st.n, sla_otif_rate = st.otif,
                   sla_fill_rate = st.fill, sla_cycle_time_days = st.cycle,
                   sla_return_rate = st.ret, sla_status_reason = st.reason,
                   sla_status = COALESCE(m.sla_status, 'none')
              FROM st
             WHERE m.id = st.id
               AND (m.sla_order_count, m.sla_otif_rate, m.sla_fill_rate,
                    m.sla_cycle_time_days, m.sla_return_rate,
                    m.sla_status_reason, m.sla_status IS NULL)
                   IS DISTINCT FROM
                   (st.n, st.otif, st.fill, st.cycle, st.ret, st.reason, FALSE)
        )
        SELECT id, status
          FROM st
         WHERE status != COALESCE(old_status, 'none')
        """,
        company=company_id,
        ids=list(partner_ids),
        promise_day=promise_day,
        as_of=as_of,
        tz=tz,
        eps=EPSILON,
        reason=_reason_parts(template, labels),
    )
