# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The queue of orders whose service figures must be computed again.

Plain functions returning ``odoo.tools.SQL``; ``crm.order.service.queue`` and
``res.company`` run them. Definitions: docs/architecture.md, "The engine"
(../shared/METRICS.md, section 6).
"""

from odoo.tools import SQL


def append_orders(order_ids):
    """Append these orders (plain inserts)."""
    return SQL(
        "INSERT INTO crm_order_service_queue (order_id) SELECT unnest(%s::int[])",
        list(order_ids),
    )


def append_move_orders(move_ids):
    """Append the confirmed orders these stock moves deliver, or whose
    delivery they return (plain inserts); returns the orders appended."""
    return SQL(
        """
        WITH line AS (
            SELECT m.sale_line_id AS id FROM stock_move m
             WHERE m.id = ANY(%(moves)s) AND m.sale_line_id IS NOT NULL
            UNION
            SELECT om.sale_line_id FROM stock_move m
              JOIN stock_move om ON om.id = m.origin_returned_move_id
             WHERE m.id = ANY(%(moves)s) AND om.sale_line_id IS NOT NULL
        )
        INSERT INTO crm_order_service_queue (order_id)
        SELECT DISTINCT so.id
          FROM line
          JOIN sale_order_line l ON l.id = line.id
          JOIN sale_order so ON so.id = l.order_id
         WHERE so.state = 'sale'
         ORDER BY so.id
        RETURNING order_id
        """,
        moves=sorted(move_ids),
    )


def append_company_orders(company_ids):
    """Append every measured order of these companies (a tolerance changed)."""
    return SQL(
        """
        INSERT INTO crm_order_service_queue (order_id)
        SELECT order_id FROM crm_order_service
         WHERE company_id = ANY(%s)
         ORDER BY order_id
        """,
        list(company_ids),
    )


def pending_orders(limit, now):
    """(order_id, max queue id, attempts so far) of up to ``limit`` queued
    orders that are due (an order whose computation failed waits until its
    ``retry_after``), oldest first. The caller holds the order queue's drain
    lock (``crm_relationship``'s ``queue_queries.try_lock(0)``)."""
    return SQL(
        """
        SELECT order_id, max(id) AS max_id, COALESCE(max(attempt), 0) AS attempt
          FROM crm_order_service_queue
         GROUP BY order_id
        HAVING bool_or(retry_after IS NULL OR retry_after <= %(now)s)
         ORDER BY min(id)
         LIMIT %(limit)s
        """,
        now=now,
        limit=limit,
    )


def requeue_failed_orders(rows):
    """Queue again the orders whose computation failed: (order_id, error,
    attempt, retry_after) ``rows``."""
    return SQL(
        """
        INSERT INTO crm_order_service_queue (order_id, error, attempt, retry_after)
        VALUES %s
        """,
        SQL(", ").join(SQL("(%s, %s, %s, %s)", *row) for row in rows),
    )


def queue_customers_and_drain(order_ids, max_ids, computed_ids=None):
    """Queue the customers of the computed orders (``computed_ids``, default
    all), and remove the orders' entries up to their max id (entries appended
    meanwhile stay)."""
    return SQL(
        """
        INSERT INTO crm_relationship_queue (partner_id, company_id)
        SELECT DISTINCT p.commercial_partner_id, so.company_id
          FROM sale_order so
          JOIN res_partner p ON p.id = so.partner_id
         WHERE so.id = ANY(%(computed)s);
        DELETE FROM crm_order_service_queue q
         USING unnest(%(ids)s::int[], %(max_ids)s::int[]) AS v(order_id, max_id)
         WHERE q.order_id = v.order_id AND q.id <= v.max_id
        """,
        ids=list(order_ids),
        max_ids=list(max_ids),
        computed=list(order_ids if computed_ids is None else computed_ids),
    )
