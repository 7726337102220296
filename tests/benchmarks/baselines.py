# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The baselines' SQL: raw statements computing the same outputs as the engine."""

import time

from odoo.tools import SQL

# ----------------------------------------------------------------------
# Scenarios
# ----------------------------------------------------------------------
BASELINE_RELATIONSHIP = """
CREATE TEMP TABLE bench_rel AS
SELECT p.commercial_partner_id AS partner_id, so.company_id,
       min(so.date_order)::date AS first_day, max(so.date_order)::date AS last_day,
       count(*) AS orders,
       sum(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS revenue,
       count(*) FILTER (WHERE so.date_order > now() - interval '365 days') AS freq,
       COALESCE(sum(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1))
                FILTER (WHERE so.date_order > now() - interval '365 days'), 0)
           AS monetary,
       (max(so.date_order)::date - min(so.date_order)::date)::float
           / NULLIF(count(DISTINCT so.date_order::date) - 1, 0) AS interval_days
  FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
 WHERE so.state = 'sale'
 GROUP BY p.commercial_partner_id, so.company_id;
CREATE TEMP TABLE bench_rel_out (partner_id int, company_id int, payload jsonb,
                                 PRIMARY KEY (partner_id, company_id));
INSERT INTO bench_rel_out
SELECT partner_id, company_id,
       jsonb_build_object('first', first_day, 'last', last_day, 'orders', orders,
            'revenue', revenue, 'recency', current_date - last_day,
            'tenure', current_date - first_day, 'freq', freq,
            'monetary', monetary, 'interval', interval_days,
            'r', CASE WHEN freq > 0 THEN ceil(5 * cume_dist() OVER (
                     PARTITION BY company_id, freq > 0
                     ORDER BY current_date - last_day DESC)) ELSE 1 END,
            'f', CASE WHEN freq > 0 THEN ceil(5 * cume_dist() OVER (
                     PARTITION BY company_id, freq > 0 ORDER BY freq)) ELSE 1 END,
            'm', CASE WHEN freq > 0 THEN ceil(5 * cume_dist() OVER (
                     PARTITION BY company_id, freq > 0 ORDER BY monetary)) ELSE 1 END,
            'share', sum(monetary) OVER (PARTITION BY company_id ORDER BY monetary DESC
                                         ROWS UNBOUNDED PRECEDING)
                     / NULLIF(sum(monetary) OVER (PARTITION BY company_id), 0))
  FROM bench_rel
ON CONFLICT (partner_id, company_id) DO UPDATE SET payload = EXCLUDED.payload
 WHERE bench_rel_out.payload IS DISTINCT FROM EXCLUDED.payload;
"""


# The same outputs as the engine's recompute, in raw SQL: every customer of
# every company (the engine's scope), the per-customer values of METRICS.md
# section 1 (with the product categories, contacts, reactivation and the
# expected next order), the request and service figures, then the company-wide
# scores, segment, tier, churn risk with its reason and the predicted value;
# one aggregation and one set-based write (upsert where different) into a plain
# table of typed columns with a primary key. The bench companies keep UTC.
BASELINE_FULL_TABLE = """
CREATE TABLE IF NOT EXISTS bench_rel_full (
    partner_id int, company_id int,
    first_order_date date, last_order_date date, lifetime_order_count int,
    lifetime_revenue float8, average_order_value float8, recency_days int,
    tenure_days int, rfm_frequency int, rfm_monetary float8,
    purchase_interval_days float8, expected_next_order_date date,
    product_category_count int, contact_count int, reactivation_date date,
    computed_on date, request_open_count int, request_overdue_count int,
    open_complaint_count int, open_complaint_days int,
    request_response_hours float8, request_solve_hours float8,
    service_order_count int, service_otif_rate float8, service_on_time_rate float8,
    service_in_full_rate float8, service_perfect_order_rate float8,
    service_fill_rate float8, service_cycle_time_days float8,
    service_return_rate float8, service_late_order_count int,
    service_at_risk bool, rfm_recency_score int, rfm_frequency_score int,
    rfm_monetary_score int, rfm_segment text, value_tier text, churn_risk float8,
    churn_risk_reason text, predicted_clv float8,
    PRIMARY KEY (partner_id, company_id))
"""


BASELINE_FULL = """
INSERT INTO bench_rel_full AS t
WITH scope AS (
    SELECT p.id AS partner_id, c.id AS company_id, c.rfm_window_days AS w,
           c.lost_after_days, c.service_window_days, c.service_risk_otif_threshold,
           c.value_tier_a_percent, c.value_tier_b_percent
      FROM res_partner p JOIN res_company c ON TRUE
     WHERE p.id = p.commercial_partner_id AND p.active AND p.customer_rank > 0
       AND (p.company_id IS NULL OR p.company_id = c.id)
), o AS (
    SELECT p.commercial_partner_id AS partner_id, so.company_id, so.id AS order_id,
           so.partner_id AS contact_id, so.date_order::date AS day,
           so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) AS amount,
           so.date_order::date > %(as_of)s::date - c.rfm_window_days
               AND so.date_order::date <= %(as_of)s::date AS win,
           c.lost_after_days
      FROM sale_order so
      JOIN res_partner p ON p.id = so.partner_id
      JOIN res_company c ON c.id = so.company_id
     WHERE so.state = 'sale'
), agg AS (
    SELECT partner_id, company_id, min(day) AS first_day, max(day) AS last_day,
           count(*) AS n, sum(amount) AS revenue,
           count(*) FILTER (WHERE win) AS freq,
           COALESCE(sum(amount) FILTER (WHERE win), 0) AS monetary,
           count(DISTINCT contact_id) FILTER (WHERE win) AS contacts
      FROM o GROUP BY partner_id, company_id
), days AS (
    SELECT partner_id, company_id, count(*) AS n_days,
           max(day) FILTER (WHERE gap > lost_after_days) AS reactivation
      FROM (SELECT partner_id, company_id, day, lost_after_days,
                   day - lag(day) OVER (PARTITION BY partner_id, company_id
                                        ORDER BY day) AS gap
              FROM (SELECT DISTINCT partner_id, company_id, day, lost_after_days
                      FROM o) d) g
     GROUP BY partner_id, company_id
), cat AS (
    SELECT o.partner_id, o.company_id, count(DISTINCT pt.categ_id) AS categories
      FROM o
      JOIN sale_order_line l ON l.order_id = o.order_id
      JOIN product_product pp ON pp.id = l.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE o.win AND l.display_type IS NULL
     GROUP BY o.partner_id, o.company_id
), req AS (
    SELECT r.partner_id, r.company_id,
           count(*) FILTER (WHERE r.state IN ('new', 'in_progress', 'waiting'))
               AS n_open,
           count(*) FILTER (WHERE r.state IN ('new', 'in_progress', 'waiting')
                              AND r.first_response_date IS NULL
                              AND r.date_deadline < now()) AS n_overdue,
           count(*) FILTER (WHERE r.state IN ('new', 'in_progress', 'waiting')
                              AND r.request_type = 'complaint') AS n_complaint,
           max(%(as_of)s::date - r.request_date::date) FILTER (
               WHERE r.state IN ('new', 'in_progress', 'waiting')
                 AND r.request_type = 'complaint') AS complaint_days,
           avg(EXTRACT(EPOCH FROM r.first_response_date - r.request_date) / 3600)
               AS response,
           avg(EXTRACT(EPOCH FROM r.solved_date - r.request_date) / 3600) AS solve
      FROM crm_customer_request r
     GROUP BY r.partner_id, r.company_id
), srv AS (
    SELECT s.partner_id, s.company_id, count(*) AS n,
           count(*) FILTER (WHERE is_otif) AS otif,
           count(*) FILTER (WHERE is_on_time) AS on_time,
           count(*) FILTER (WHERE is_in_full) AS in_full,
           count(*) FILTER (WHERE is_perfect_order) AS perfect,
           sum(on_time_qty) / NULLIF(sum(ordered_qty), 0) AS fill,
           avg(cycle_time_days) FILTER (
               WHERE service_level_state IN ('on_time', 'late')) AS cycle,
           sum(returned_qty) / NULLIF(sum(delivered_qty), 0) AS ret,
           count(*) FILTER (WHERE service_level_state IN ('late', 'overdue')) AS late
      FROM crm_order_service s
      JOIN res_company c ON c.id = s.company_id
     WHERE s.service_level_state != 'na'
       AND s.due_date > %(as_of)s::date - c.service_window_days
       AND s.due_date < %(as_of)s::date
     GROUP BY s.partner_id, s.company_id
), cust AS (
    SELECT sc.*, a.first_day, a.last_day, COALESCE(a.n, 0) AS n, a.revenue,
           a.revenue / NULLIF(a.n, 0) AS aov,
           %(as_of)s::date - a.last_day AS recency,
           %(as_of)s::date - a.first_day AS tenure,
           COALESCE(a.freq, 0) AS freq, a.monetary,
           CASE WHEN d.n_days >= 2
                THEN (a.last_day - a.first_day)::float / (d.n_days - 1) END AS itv,
           COALESCE(ct.categories, 0) AS categories,
           COALESCE(a.contacts, 0) AS contacts, d.reactivation,
           COALESCE(rq.n_open, 0) AS n_open, COALESCE(rq.n_overdue, 0) AS n_overdue,
           COALESCE(rq.n_complaint, 0) AS n_complaint,
           COALESCE(rq.complaint_days, 0) AS complaint_days,
           rq.response, rq.solve, COALESCE(sv.n, 0) AS sn,
           100.0 * sv.otif / sv.n AS otif, 100.0 * sv.on_time / sv.n AS on_time,
           100.0 * sv.in_full / sv.n AS in_full, 100.0 * sv.perfect / sv.n AS perfect,
           100 * sv.fill AS fill, sv.cycle, 100 * sv.ret AS ret,
           COALESCE(sv.late, 0) AS late,
           COALESCE(100.0 * sv.otif / sv.n < sc.service_risk_otif_threshold, FALSE)
               AS at_risk
      FROM scope sc
      LEFT JOIN agg a USING (partner_id, company_id)
      LEFT JOIN days d USING (partner_id, company_id)
      LEFT JOIN cat ct USING (partner_id, company_id)
      LEFT JOIN req rq USING (partner_id, company_id)
      LEFT JOIN srv sv USING (partner_id, company_id)
), med AS (
    SELECT company_id,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY itv) AS median
      FROM cust WHERE itv IS NOT NULL GROUP BY company_id
), scored AS (
    SELECT c.*,
           CASE WHEN c.freq > 0 THEN ceil(5 * cume_dist() OVER w_r)::int
                ELSE 1 END AS r,
           CASE WHEN c.freq > 0 THEN ceil(5 * cume_dist() OVER w_f)::int
                ELSE 1 END AS f,
           CASE WHEN c.freq > 0 THEN ceil(5 * cume_dist() OVER w_m)::int
                ELSE 1 END AS m,
           COALESCE(sum(GREATEST(c.monetary, 0)) OVER w_cum, 0) AS before,
           sum(GREATEST(c.monetary, 0)) OVER (PARTITION BY c.company_id) AS total,
           c.recency / COALESCE(c.itv, md.median, 90) AS ratio,
           COALESCE(c.itv, md.median, 90) AS eff
      FROM cust c LEFT JOIN med md USING (company_id)
     WHERE c.n > 0
    WINDOW w_r AS (PARTITION BY c.company_id, c.freq > 0 ORDER BY c.recency DESC),
           w_f AS (PARTITION BY c.company_id, c.freq > 0 ORDER BY c.freq),
           w_m AS (PARTITION BY c.company_id, c.freq > 0 ORDER BY c.monetary),
           w_cum AS (PARTITION BY c.company_id ORDER BY c.monetary DESC, c.partner_id
                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), final AS (
    SELECT s.*,
           CASE WHEN s.ratio <= 1 THEN 0 WHEN s.ratio < 3 THEN 50 * (s.ratio - 1)
                ELSE 100 END AS risk
      FROM scored s
)
SELECT c.partner_id, c.company_id, c.first_day, c.last_day, c.n, c.revenue, c.aov,
       c.recency, c.tenure, c.freq, c.monetary, c.itv,
       c.last_day + floor(c.itv + 0.5)::int, c.categories, c.contacts,
       c.reactivation, %(as_of)s::date, c.n_open, c.n_overdue, c.n_complaint,
       c.complaint_days, c.response, c.solve, c.sn, c.otif, c.on_time, c.in_full,
       c.perfect, c.fill, c.cycle, c.ret, c.late, c.at_risk, f.r, f.f, f.m,
       g.segment,
       CASE WHEN f.monetary IS NULL OR f.monetary <= 0 THEN 'C'
            WHEN f.before / f.total < c.value_tier_a_percent / 100.0 THEN 'A'
            WHEN f.before / f.total < c.value_tier_b_percent / 100.0 THEN 'B'
            ELSE 'C' END,
       f.risk,
       format(%(reason)s, f.recency,
              to_char(round(f.ratio::numeric, 1), 'FM999990.0'), round(f.eff::numeric)),
       f.aov * 365 / f.eff * (1 - f.risk / 100)
  FROM cust c
  LEFT JOIN final f USING (partner_id, company_id)
  LEFT JOIN (VALUES %(grid)s) AS g(fm, r, segment)
         ON g.fm = floor((f.f + f.m + 1) / 2) AND g.r = f.r
ON CONFLICT (partner_id, company_id) DO UPDATE
   SET (%(columns)s) = (%(excluded)s)
 WHERE t IS DISTINCT FROM EXCLUDED
"""


def baseline_full(cr, as_of):
    """Seconds of the same-outputs baseline as of ``as_of`` (the table is
    made before the clock starts; a second call writes what changed)."""
    from odoo.addons.crm_relationship.models.crm_relationship_metrics import RFM_GRID

    cr.execute(BASELINE_FULL_TABLE)
    # every column but the key, in the table's order
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = 'bench_rel_full' "
        "AND column_name NOT IN ('partner_id', 'company_id') "
        "ORDER BY ordinal_position"
    )
    columns = [row[0] for row in cr.fetchall()]
    grid = SQL(", ").join(
        SQL("(%s, %s, %s)", fm, r + 1, segment)
        for fm, row in RFM_GRID.items()
        for r, segment in enumerate(row)
    )
    reason = "Last order %s days ago, %sx the usual %s days"
    query = SQL(
        BASELINE_FULL,
        as_of=as_of,
        grid=grid,
        reason=reason,
        columns=SQL(", ").join(SQL.identifier(c) for c in columns),
        excluded=SQL(", ").join(SQL("EXCLUDED.%s", SQL.identifier(c)) for c in columns),
    )
    cr.execute("SET LOCAL jit = off")
    t0 = time.perf_counter()
    cr.execute(query)
    return time.perf_counter() - t0, cr.rowcount


BASELINE_SERVICE = """
CREATE TEMP TABLE bench_srv AS
WITH lines AS (
    SELECT l.id, l.order_id, l.product_uom_qty AS ordered,
           (so.commitment_date)::date AS due
      FROM sale_order_line l JOIN sale_order so ON so.id = l.order_id
     WHERE so.state = 'sale' AND l.qty_delivered_method = 'stock_move'
), d AS (
    SELECT m.sale_line_id, sum(m.quantity) AS delivered, max(m.date)::date AS last_day,
           bool_or(m.state NOT IN ('done', 'cancel')) AS open
      FROM stock_move m JOIN stock_location dl ON dl.id = m.location_dest_id
     WHERE dl.usage = 'customer' AND m.sale_line_id IS NOT NULL
     GROUP BY m.sale_line_id
)
SELECT l.order_id,
       bool_and(COALESCE(d.delivered, 0) >= l.ordered) AS in_full,
       bool_and(NOT COALESCE(d.open, TRUE)) AS closed,
       max(d.last_day) <= min(l.due) AS on_time,
       sum(LEAST(COALESCE(d.delivered, 0), l.ordered)) / sum(l.ordered) AS fill
  FROM lines l LEFT JOIN d ON d.sale_line_id = l.id
 GROUP BY l.order_id;
"""


# The service recompute's full outputs (issue #20): every figure the engine
# writes per measured line and per order (docs/user-guide.md, "Service
# levels"), upserted into two plain tables of typed columns where a value
# changed, as the engine's statement does. Left out: time zones (UTC days),
# kits (none in the bench data), the sales order lines' delivery-fee flag.
BASELINE_SERVICE_FULL_TABLES = """
CREATE TABLE IF NOT EXISTS bench_srv_line (
    line_id int PRIMARY KEY, order_id int, ordered float, delivered float,
    on_time float, returned float, closed bool, closing_day date, due_day date);
CREATE TABLE IF NOT EXISTS bench_srv_order (
    order_id int PRIMARY KEY, due_day date, delivered_date date, in_full bool,
    on_time bool, otif bool, fill_rate float, cycle int, delay int,
    return_rate float, perfect bool, state varchar, ordered float,
    delivered float, on_time_qty float, returned float, revenue float,
    margin float, line_count int);
"""

BASELINE_SERVICE_FULL = """
WITH ord AS (
    SELECT so.id AS order_id, so.state, so.date_order::date AS order_day,
           s.first_promised_date::date AS promise_day,
           s.first_promised_date::date + c.late_tolerance_days AS due_day,
           c.qty_tolerance_percent AS qty_tol,
           COALESCE(NULLIF(so.currency_rate, 0), 1.0) AS rate
      FROM crm_order_service s
      JOIN sale_order so ON so.id = s.order_id
      JOIN res_company c ON c.id = so.company_id
), lines AS (
    SELECT l.id AS line_id, o.order_id, o.due_day, o.qty_tol,
           l.product_uom_qty / lu.factor * pu.factor AS ordered,
           (l.price_subtotal / o.rate)::float AS revenue,
           (COALESCE(l.margin, 0) / o.rate)::float AS margin
      FROM sale_order_line l
      JOIN ord o ON o.order_id = l.order_id
      JOIN product_product pp ON pp.id = l.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      JOIN uom_uom lu ON lu.id = l.product_uom
      JOIN uom_uom pu ON pu.id = pt.uom_id
     WHERE l.qty_delivered_method = 'stock_move' AND l.display_type IS NULL
       AND NOT COALESCE(l.is_downpayment, FALSE) AND l.product_uom_qty > 0
), mv AS (
    SELECT m.id, m.sale_line_id AS line_id, m.state,
           m.quantity / mu.factor * pu.factor AS qty, m.date::date AS day
      FROM stock_move m
      JOIN stock_location dl ON dl.id = m.location_dest_id
      JOIN uom_uom mu ON mu.id = m.product_uom
      JOIN product_product pp ON pp.id = m.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      JOIN uom_uom pu ON pu.id = pt.uom_id
     WHERE dl.usage = 'customer' AND m.sale_line_id IS NOT NULL
), cum AS (
    SELECT line_id, day, sum(qty) OVER (PARTITION BY line_id ORDER BY day, id) AS cum
      FROM mv WHERE state = 'done'
), ms AS (
    SELECT line_id, bool_or(state NOT IN ('done', 'cancel')) AS has_open,
           max(day) FILTER (WHERE state IN ('done', 'cancel')) AS last_day
      FROM mv GROUP BY line_id
), ret AS (
    SELECT d.line_id, sum(r.quantity / mu.factor * pu.factor) AS returned
      FROM stock_move r
      JOIN mv d ON d.id = r.origin_returned_move_id AND d.state = 'done'
      JOIN uom_uom mu ON mu.id = r.product_uom
      JOIN product_product pp ON pp.id = r.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      JOIN uom_uom pu ON pu.id = pt.uom_id
     WHERE r.state = 'done'
     GROUP BY d.line_id
), lagg AS (
    SELECT l.line_id, l.order_id, l.ordered, l.due_day, l.qty_tol, l.revenue,
           l.margin,
           LEAST(COALESCE(max(c.cum), 0), l.ordered) AS delivered,
           LEAST(COALESCE(max(c.cum) FILTER (WHERE c.day <= l.due_day), 0),
                 l.ordered) AS on_time,
           min(c.day) FILTER (WHERE c.cum >= l.ordered - 1e-6) AS full_day
      FROM lines l LEFT JOIN cum c ON c.line_id = l.line_id
     GROUP BY l.line_id, l.order_id, l.ordered, l.due_day, l.qty_tol, l.revenue,
              l.margin
), lfin AS (
    SELECT a.*, LEAST(COALESCE(r.returned, 0), a.delivered) AS returned,
           a.full_day IS NOT NULL
               OR (ms.line_id IS NOT NULL AND NOT ms.has_open) AS closed,
           COALESCE(a.full_day, CASE WHEN ms.line_id IS NOT NULL AND NOT ms.has_open
                                     THEN ms.last_day END) AS closing_day
      FROM lagg a
      LEFT JOIN ret r ON r.line_id = a.line_id
      LEFT JOIN ms ON ms.line_id = a.line_id
), up_lines AS (
    INSERT INTO bench_srv_line AS t
    SELECT line_id, order_id, ordered, delivered, on_time, returned, closed,
           closing_day, due_day
      FROM lfin
    ON CONFLICT (line_id) DO UPDATE
       SET (order_id, ordered, delivered, on_time, returned, closed, closing_day,
            due_day)
         = (EXCLUDED.order_id, EXCLUDED.ordered, EXCLUDED.delivered,
            EXCLUDED.on_time, EXCLUDED.returned, EXCLUDED.closed,
            EXCLUDED.closing_day, EXCLUDED.due_day)
     WHERE t IS DISTINCT FROM EXCLUDED
), oagg AS (
    SELECT order_id, bool_and(closed) AS closed, max(closing_day) AS last_day,
           bool_and(delivered >= ordered * (1 - qty_tol / 100.0) - 1e-6) AS in_full,
           sum(ordered) AS ordered, sum(delivered) AS delivered,
           sum(on_time) AS on_time, sum(returned) AS returned,
           sum(revenue) AS revenue, sum(margin) AS margin, count(*) AS line_count
      FROM lfin GROUP BY order_id
), refund AS (
    SELECT DISTINCT l.order_id
      FROM sale_order_line_invoice_rel rel
      JOIN sale_order_line l ON l.id = rel.order_line_id
      JOIN account_move_line aml ON aml.id = rel.invoice_line_id
      JOIN account_move am ON am.id = aml.move_id
     WHERE am.move_type = 'out_refund' AND am.state = 'posted'
), fin AS (
    SELECT o.order_id, o.due_day, o.order_day, o.promise_day,
           a.order_id IS NOT NULL AND o.state = 'sale' AS measured,
           a.closed, CASE WHEN a.closed THEN a.last_day END AS delivered_date,
           COALESCE(a.in_full, FALSE) AS in_full,
           COALESCE(a.closed AND a.delivered > 1e-6 AND a.last_day <= o.due_day,
                    FALSE) AS on_time,
           a.ordered, a.delivered, a.on_time AS on_time_qty, a.returned,
           a.revenue, a.margin, COALESCE(a.line_count, 0) AS line_count,
           rf.order_id IS NOT NULL AS refunded
      FROM ord o
      LEFT JOIN oagg a ON a.order_id = o.order_id
      LEFT JOIN refund rf ON rf.order_id = o.order_id
)
INSERT INTO bench_srv_order AS t
SELECT order_id, due_day,
       CASE WHEN measured THEN delivered_date END,
       measured AND in_full, measured AND on_time, measured AND on_time AND in_full,
       CASE WHEN measured AND ordered > 0
            THEN round((100 * on_time_qty / ordered)::numeric, 2)::float END,
       CASE WHEN measured THEN delivered_date - order_day END,
       CASE WHEN measured THEN delivered_date - promise_day END,
       CASE WHEN measured AND delivered > 1e-6
            THEN round((100 * returned / delivered)::numeric, 2)::float END,
       measured AND on_time AND in_full AND returned <= 1e-6 AND NOT refunded,
       CASE WHEN NOT measured THEN 'na'
            WHEN NOT closed AND due_day >= %(as_of)s::date THEN 'open'
            WHEN NOT closed THEN 'overdue'
            WHEN on_time THEN 'on_time' ELSE 'late' END,
       CASE WHEN measured THEN ordered END, CASE WHEN measured THEN delivered END,
       CASE WHEN measured THEN on_time_qty END,
       CASE WHEN measured THEN returned END, CASE WHEN measured THEN revenue END,
       CASE WHEN measured THEN margin END, line_count
  FROM fin
ON CONFLICT (order_id) DO UPDATE
   SET (due_day, delivered_date, in_full, on_time, otif, fill_rate, cycle, delay,
        return_rate, perfect, state, ordered, delivered, on_time_qty, returned,
        revenue, margin, line_count)
     = (EXCLUDED.due_day, EXCLUDED.delivered_date, EXCLUDED.in_full,
        EXCLUDED.on_time, EXCLUDED.otif, EXCLUDED.fill_rate, EXCLUDED.cycle,
        EXCLUDED.delay, EXCLUDED.return_rate, EXCLUDED.perfect, EXCLUDED.state,
        EXCLUDED.ordered, EXCLUDED.delivered, EXCLUDED.on_time_qty,
        EXCLUDED.returned, EXCLUDED.revenue, EXCLUDED.margin, EXCLUDED.line_count)
 WHERE t IS DISTINCT FROM EXCLUDED
"""
