# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Service-level statements of the order and its lines.

Plain functions returning ``odoo.tools.SQL``; the models run them
(``crm.order.service``). Definitions: docs/user-guide.md, "Service levels"
(../shared/METRICS.md, section 3).
"""

from odoo.tools import SQL

# the order rows' creation lives in service_row_queries; the names stay
# importable from here
from .service_row_queries import (  # noqa: F401
    ensure_rows,
    foreign_keys,
    init_existing_orders,
    kit_lines,
    pending_count,
    pending_orders,
)

# quantities are compared with this margin (floats in reference units)
EPSILON = 1e-6


def eligible_lines(has_is_delivery):
    """The measured lines of an order, on ``sale_order_line l``: stock-moved,
    not a section or note, down payment or delivery fee, ordered > 0
    (docs/user-guide.md, "Service levels": eligible line)."""
    line_filter = SQL(
        "l.qty_delivered_method = 'stock_move' AND l.display_type IS NULL "
        "AND NOT COALESCE(l.is_downpayment, FALSE) AND l.product_uom_qty > 0"
    )
    if has_is_delivery:
        line_filter = SQL("%s AND NOT COALESCE(l.is_delivery, FALSE)", line_filter)
    return line_filter


def _value_ctes(order_ids, now, has_is_delivery, kits=()):
    """The CTEs computing the figures of the orders' service rows: ``lfin``
    per line (ordered, delivered, on time, returned, closed, closing day),
    ``vals`` per order (due day, delivered date, on time, in full, OTIF, fill
    rate, cycle time, delay, return rate, perfect order, state).

    ``kits``: (line id, component product id, component quantity per unit of
    the kit, in the component's unit) of the kit lines; their component moves
    count as whole kits, as ``sale_mrp`` counts ``qty_delivered``
    (docs/user-guide.md, "Service levels": kits). Without them a line counts
    the moves of its own product."""
    return SQL(
        """
        ord AS (
            SELECT s.id AS service_id, so.id AS order_id, so.state,
                   COALESCE(rp.tz, 'UTC') AS tz,
                   COALESCE(NULLIF(so.currency_rate, 0), 1.0) AS rate,
                   c.late_tolerance_days AS late_tol,
                   c.qty_tolerance_percent AS qty_tol,
                   (so.date_order AT TIME ZONE 'UTC'
                       AT TIME ZONE COALESCE(rp.tz, 'UTC'))::date AS order_day,
                   (s.first_promised_date AT TIME ZONE 'UTC'
                       AT TIME ZONE COALESCE(rp.tz, 'UTC'))::date AS promise_day,
                   (%(now)s::timestamp AT TIME ZONE 'UTC'
                       AT TIME ZONE COALESCE(rp.tz, 'UTC'))::date AS as_of
              FROM crm_order_service s
              JOIN sale_order so ON so.id = s.order_id
              JOIN res_company c ON c.id = so.company_id
              JOIN res_partner rp ON rp.id = c.partner_id
             WHERE s.order_id = ANY(%(ids)s)
        ), lines AS (
            SELECT l.id AS line_id, o.service_id, o.order_id, o.tz,
                   o.promise_day + o.late_tol AS due_day, o.qty_tol,
                   l.product_id,
                   l.product_uom_qty / lu.factor * pu.factor AS ordered,
                   -- in company currency, as sale.report converts them
                   (l.price_subtotal / o.rate)::float AS revenue,
                   (COALESCE(l.margin, 0) / o.rate)::float AS margin
              FROM sale_order_line l
              JOIN ord o ON o.order_id = l.order_id
              JOIN product_product pp ON pp.id = l.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN uom_uom lu ON lu.id = l.product_uom
              JOIN uom_uom pu ON pu.id = pt.uom_id
             WHERE %(line_filter)s
        ), comp AS (
            -- what each line delivers: its own product (ratio 1), or for a
            -- kit the components, in their unit per unit of the kit
            SELECT l.line_id, l.product_id, 1.0::float AS ratio, FALSE AS is_kit
              FROM lines l
             WHERE l.line_id <> ALL(%(kit_lines)s::int[])
            UNION ALL
            SELECT k.line_id, k.product_id, sum(k.ratio), TRUE
              FROM unnest(%(kit_lines)s::int[], %(kit_products)s::int[],
                          %(kit_ratios)s::float[]) AS k(line_id, product_id, ratio)
              JOIN lines l ON l.line_id = k.line_id
             GROUP BY k.line_id, k.product_id
        ), mv AS (
            -- the line's moves into a customer location (the last step)
            SELECT m.id, l.line_id, m.product_id, k.is_kit, m.state,
                   m.quantity / mu.factor * pu.factor AS qty,
                   ((CASE WHEN m.state = 'cancel'
                          THEN COALESCE(pk.date_done, m.write_date)
                          ELSE m.date END)
                       AT TIME ZONE 'UTC' AT TIME ZONE l.tz)::date AS day
              FROM stock_move m
              JOIN lines l ON l.line_id = m.sale_line_id
              JOIN comp k ON k.line_id = m.sale_line_id
                         AND k.product_id = m.product_id
              JOIN stock_location dl ON dl.id = m.location_dest_id
              LEFT JOIN stock_picking pk ON pk.id = m.picking_id
              JOIN uom_uom mu ON mu.id = m.product_uom
              JOIN product_product pp ON pp.id = m.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN uom_uom pu ON pu.id = pt.uom_id
             WHERE dl.usage = 'customer'
        ), kc AS (
            -- kits: each component's delivered quantity, cumulated by day
            SELECT line_id, product_id, day,
                   sum(qty) OVER (PARTITION BY line_id, product_id
                                  ORDER BY day, id) AS cq
              FROM mv
             WHERE state = 'done' AND is_kit
        ), cum AS (
            -- delivered quantity of the line cumulated by day
            SELECT line_id, day,
                   sum(qty) OVER (PARTITION BY line_id ORDER BY day, id) AS cum
              FROM mv
             WHERE state = 'done' AND NOT is_kit
            UNION ALL
            -- a kit counts whole kits, by its scarcest component (sale_mrp)
            SELECT d.line_id, d.day,
                   floor(min(COALESCE(x.cq, 0) / k.ratio) + %(eps)s) AS cum
              FROM (SELECT DISTINCT line_id, day FROM kc) d
              JOIN comp k ON k.line_id = d.line_id
              LEFT JOIN LATERAL (
                  SELECT max(c.cq) AS cq FROM kc c
                   WHERE c.line_id = d.line_id AND c.product_id = k.product_id
                     AND c.day <= d.day
              ) x ON TRUE
             GROUP BY d.line_id, d.day
        ), rc AS (
            SELECT d.line_id, d.product_id,
                   sum(r.quantity / mu.factor * pu.factor) AS returned
              FROM stock_move r
              JOIN mv d ON d.id = r.origin_returned_move_id AND d.state = 'done'
              JOIN uom_uom mu ON mu.id = r.product_uom
              JOIN product_product pp ON pp.id = r.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN uom_uom pu ON pu.id = pt.uom_id
             WHERE r.state = 'done'
             GROUP BY d.line_id, d.product_id
        ), ret AS (
            -- a kit's returned kits: the whole kits delivered less the whole
            -- kits its components still make once the returns are taken off
            SELECT k.line_id,
                   CASE WHEN bool_or(k.is_kit)
                        THEN floor(min(COALESCE(dc.qty, 0) / k.ratio) + %(eps)s)
                             - floor(min((COALESCE(dc.qty, 0)
                                          - COALESCE(rc.returned, 0)) / k.ratio)
                                     + %(eps)s)
                        ELSE sum(COALESCE(rc.returned, 0))
                   END AS returned
              FROM comp k
              LEFT JOIN rc ON rc.line_id = k.line_id AND rc.product_id = k.product_id
              LEFT JOIN (SELECT line_id, product_id, sum(qty) AS qty
                           FROM mv WHERE state = 'done'
                          GROUP BY line_id, product_id) dc
                     ON dc.line_id = k.line_id AND dc.product_id = k.product_id
             WHERE k.line_id IN (SELECT line_id FROM rc)
             GROUP BY k.line_id
        ), mstat AS (
            SELECT line_id,
                   bool_or(state NOT IN ('done', 'cancel')) AS has_open,
                   max(day) FILTER (WHERE state IN ('done', 'cancel')) AS last_day
              FROM mv
             GROUP BY line_id
        ), lagg AS (
            SELECT l.line_id, l.service_id, l.order_id, l.ordered, l.due_day,
                   l.qty_tol, l.revenue, l.margin,
                   LEAST(COALESCE(max(c.cum), 0), l.ordered) AS delivered,
                   LEAST(COALESCE(max(c.cum) FILTER (WHERE c.day <= l.due_day), 0),
                         l.ordered) AS on_time,
                   min(c.day) FILTER (WHERE c.cum >= l.ordered - %(eps)s)
                       AS full_day
              FROM lines l
              LEFT JOIN cum c ON c.line_id = l.line_id
             GROUP BY l.line_id, l.service_id, l.order_id, l.ordered, l.due_day,
                      l.qty_tol, l.revenue, l.margin
        ), lfin AS (
            SELECT a.*, LEAST(COALESCE(r.returned, 0), a.delivered) AS returned,
                   (a.full_day IS NOT NULL
                    OR (ms.line_id IS NOT NULL AND NOT ms.has_open)) AS closed,
                   COALESCE(a.full_day,
                            CASE WHEN ms.line_id IS NOT NULL AND NOT ms.has_open
                                 THEN ms.last_day END) AS closing_day
              FROM lagg a
              LEFT JOIN ret r ON r.line_id = a.line_id
              LEFT JOIN mstat ms ON ms.line_id = a.line_id
        ), oagg AS (
            SELECT service_id,
                   bool_and(closed) AS closed,
                   max(closing_day) AS delivered_date,
                   bool_and(delivered >= ordered * (1 - qty_tol / 100.0) - %(eps)s)
                       AS in_full,
                   sum(ordered) AS ordered, sum(delivered) AS delivered,
                   sum(on_time) AS on_time, sum(returned) AS returned,
                   sum(revenue) AS revenue, sum(margin) AS margin,
                   count(*) AS line_count
              FROM lfin
             GROUP BY service_id
        ), refund AS (
            SELECT DISTINCT l.order_id
              FROM sale_order_line_invoice_rel rel
              JOIN sale_order_line l ON l.id = rel.order_line_id
              JOIN account_move_line aml ON aml.id = rel.invoice_line_id
              JOIN account_move am ON am.id = aml.move_id
             WHERE l.order_id = ANY(%(ids)s)
               AND am.move_type = 'out_refund' AND am.state = 'posted'
        ), fin AS (
            SELECT o.service_id,
                   o.promise_day + o.late_tol AS due_day,
                   CASE WHEN a.closed THEN a.delivered_date END AS delivered_date,
                   COALESCE(a.in_full, FALSE) AS in_full,
                   COALESCE(a.closed AND a.delivered > %(eps)s
                            AND a.delivered_date <= o.promise_day + o.late_tol,
                            FALSE) AS on_time,
                   a.ordered, a.delivered, a.on_time AS on_time_qty, a.returned,
                   a.revenue, a.margin,
                   COALESCE(a.line_count, 0) AS line_count,
                   o.order_day, o.promise_day, o.as_of,
                   a.service_id IS NOT NULL AND o.state = 'sale' AS measured,
                   a.closed,
                   rf.order_id IS NOT NULL AS refunded
              FROM ord o
              LEFT JOIN oagg a ON a.service_id = o.service_id
              LEFT JOIN refund rf ON rf.order_id = o.order_id
        ), vals AS (
            SELECT service_id,
                   due_day,
                   CASE WHEN measured THEN delivered_date END AS delivered_date,
                   measured AND in_full AS in_full,
                   measured AND on_time AS on_time,
                   measured AND on_time AND in_full AS otif,
                   CASE WHEN measured AND ordered > 0
                        THEN round((100 * on_time_qty / ordered)::numeric, 2)::float
                   END AS fill_rate,
                   CASE WHEN measured THEN delivered_date - order_day END AS cycle,
               CASE WHEN measured THEN delivered_date - promise_day END AS delay,
                   CASE WHEN measured AND delivered > %(eps)s
                        THEN round((100 * returned / delivered)::numeric, 2)::float
                   END AS return_rate,
                   measured AND on_time AND in_full AND returned <= %(eps)s
                       AND NOT refunded AS perfect,
                   CASE WHEN NOT measured THEN 'na'
                        WHEN NOT closed AND due_day >= as_of THEN 'open'
                        WHEN NOT closed THEN 'overdue'
                        WHEN on_time THEN 'on_time'
                        ELSE 'late'
                   END AS state,
                   CASE WHEN measured THEN ordered END AS ordered,
                   CASE WHEN measured THEN delivered END AS delivered,
                   CASE WHEN measured THEN on_time_qty END AS on_time_qty,
                   CASE WHEN measured THEN returned END AS returned,
                   CASE WHEN measured THEN revenue END AS revenue,
                   CASE WHEN measured THEN margin END AS margin,
                   line_count
              FROM fin
        )
        """,
        ids=list(order_ids),
        line_filter=eligible_lines(has_is_delivery),
        eps=EPSILON,
        now=now,
        kit_lines=[k[0] for k in kits],
        kit_products=[k[1] for k in kits],
        kit_ratios=[float(k[2]) for k in kits],
    )


def line_values(order_ids, now, has_is_delivery, kits=()):
    """Per measured line of the orders: line_id, ordered, delivered (done
    moves into a customer location, capped), on_time (by the due day),
    returned, closed, closing_day, due_day (docs/user-guide.md, "Service
    levels": per eligible line)."""
    return SQL(
        """
        WITH %s
        SELECT line_id, ordered, delivered, on_time, returned, closed,
               closing_day, due_day
          FROM lfin
         ORDER BY line_id
        """,
        _value_ctes(order_ids, now, has_is_delivery, kits),
    )


def order_values(order_ids, now, has_is_delivery, kits=()):
    """Per order (its service row): service_id, due_day, delivered_date,
    in_full, on_time, otif, fill_rate, cycle, delay, return_rate, perfect,
    state, ordered, delivered, on_time_qty, returned, line_count
    (docs/user-guide.md, "Service levels": the order's figures)."""
    return SQL(
        """
        WITH %s
        SELECT service_id, due_day, delivered_date, in_full, on_time, otif,
               fill_rate, cycle, delay, return_rate, perfect, state, ordered,
               delivered, on_time_qty, returned, line_count
          FROM vals
         ORDER BY service_id
        """,
        _value_ctes(order_ids, now, has_is_delivery, kits),
    )


def recompute_orders(order_ids, now, uid, has_is_delivery, kits=()):
    """One statement: the line rows of the orders upserted (stale ones
    deleted) and the order rows updated where a figure changed, from the
    values of ``line_values`` and ``order_values``."""
    return SQL(
        """
        WITH %(ctes)s,
        del_lines AS (
            DELETE FROM crm_order_line_service t
             WHERE t.order_id = ANY(%(ids)s)
               AND NOT EXISTS (SELECT 1 FROM lfin f WHERE f.line_id = t.line_id)
        ), up_lines AS (
            INSERT INTO crm_order_line_service AS t
                   (line_id, service_id, order_id, ordered_qty, delivered_qty,
                    on_time_qty, returned_qty, is_closed, closing_date, due_date,
                    create_uid, create_date, write_uid, write_date)
            SELECT f.line_id, f.service_id, f.order_id, f.ordered, f.delivered,
                   f.on_time, f.returned, f.closed, f.closing_day, f.due_day,
               %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
              FROM lfin f
              -- the unchanged lines are left out by a join, not by the
              -- conflict check of each line
              LEFT JOIN crm_order_line_service o ON o.line_id = f.line_id
             WHERE o.id IS NULL
                OR (o.ordered_qty, o.delivered_qty, o.on_time_qty, o.returned_qty,
                    o.is_closed, o.closing_date, o.due_date)
                   IS DISTINCT FROM
                   (f.ordered, f.delivered, f.on_time, f.returned, f.closed,
                    f.closing_day, f.due_day)
            ON CONFLICT (line_id) DO UPDATE
               SET (ordered_qty, delivered_qty, on_time_qty, returned_qty,
                    is_closed, closing_date, due_date, write_date)
                 = (EXCLUDED.ordered_qty, EXCLUDED.delivered_qty,
                    EXCLUDED.on_time_qty, EXCLUDED.returned_qty,
                    EXCLUDED.is_closed, EXCLUDED.closing_date, EXCLUDED.due_date,
                    EXCLUDED.write_date)
             WHERE (t.ordered_qty, t.delivered_qty, t.on_time_qty, t.returned_qty,
                    t.is_closed, t.closing_date, t.due_date)
                   IS DISTINCT FROM
                   (EXCLUDED.ordered_qty, EXCLUDED.delivered_qty,
                    EXCLUDED.on_time_qty, EXCLUDED.returned_qty,
                    EXCLUDED.is_closed, EXCLUDED.closing_date, EXCLUDED.due_date)
        )
        UPDATE crm_order_service s
           SET due_date = v.due_day,
               delivered_date = v.delivered_date,
               is_in_full = v.in_full,
               is_on_time = v.on_time,
               is_otif = v.otif,
               fill_rate = v.fill_rate,
               cycle_time_days = v.cycle,
               delay_days = v.delay,
               return_rate = v.return_rate,
               is_perfect_order = v.perfect,
               service_level_state = v.state,
               ordered_qty = v.ordered,
               delivered_qty = v.delivered,
               on_time_qty = v.on_time_qty,
               returned_qty = v.returned,
               line_count = v.line_count,
               revenue = v.revenue,
               margin = v.margin,
               write_date = now() AT TIME ZONE 'UTC'
          FROM vals v
         WHERE s.id = v.service_id
           AND (s.due_date, s.delivered_date, s.is_in_full, s.is_on_time,
                s.is_otif, s.fill_rate, s.cycle_time_days, s.delay_days,
                s.return_rate, s.is_perfect_order, s.service_level_state,
                s.ordered_qty, s.delivered_qty, s.on_time_qty, s.returned_qty,
                s.line_count, s.revenue, s.margin)
               IS DISTINCT FROM
               (v.due_day, v.delivered_date, v.in_full, v.on_time, v.otif,
                v.fill_rate, v.cycle, v.delay, v.return_rate, v.perfect, v.state,
                v.ordered, v.delivered, v.on_time_qty, v.returned, v.line_count,
                v.revenue, v.margin)
        """,
        ctes=_value_ctes(order_ids, now, has_is_delivery, kits),
        ids=list(order_ids),
        uid=uid,
    )
