# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The order rows of the service figures: created at confirmation with the
frozen promise, inserted for the orders found at install (with the table's
foreign keys dropped and added again around it), the install's pending
orders, and the kits' lines (docs/architecture.md, "The engine").

Plain functions returning ``odoo.tools.SQL``.
"""

from odoo.tools import SQL


def kit_lines(order_ids):
    """Lines of the orders delivered through a kit's components (moves made
    from a bill of materials; needs ``mrp``'s ``stock_move.bom_line_id``)."""
    return SQL(
        "SELECT DISTINCT m.sale_line_id FROM stock_move m "
        "JOIN sale_order_line l ON l.id = m.sale_line_id "
        "WHERE l.order_id = ANY(%s) AND m.bom_line_id IS NOT NULL",
        list(order_ids),
    )


def ensure_rows(order_ids, company_ids, partner_ids, promised, uid, now):
    """Rows of newly confirmed orders with their frozen promise
    (docs/user-guide.md, "Service levels": promise), queued for their
    figures in the same statement; the orders that have a row already keep
    it. Returns the ids of the orders given a row."""
    return SQL(
        """
        WITH ins AS (
            INSERT INTO crm_order_service
                   (order_id, company_id, partner_id, first_promised_date,
                    promise_change_count, service_level_state,
                    create_uid, create_date, write_uid, write_date)
            SELECT v.order_id, v.company_id, v.partner_id, v.promised, 0,
                   'na', %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(orders)s::int[], %(companies)s::int[],
                          %(partners)s::int[], %(promised)s::timestamp[])
                   AS v(order_id, company_id, partner_id, promised)
            ON CONFLICT (order_id) DO NOTHING
         RETURNING order_id
        )
        -- and queued for their figures, in the same statement
        INSERT INTO crm_order_service_queue (order_id)
        SELECT order_id FROM ins
        RETURNING order_id
        """,
        uid=uid,
        now=now,
        orders=list(order_ids),
        companies=list(company_ids),
        partners=list(partner_ids),
        promised=list(promised),
    )


def init_existing_orders(uid):
    """Install: rows of the orders confirmed before the addon; the promise is
    the commitment date, else the earliest deadline of the order's outgoing
    moves, else the order date (docs/user-guide.md, "Service levels")."""
    return SQL(
        """
        WITH deadline AS (
            -- one aggregation of the moves into a customer location (hashed),
            -- not a lookup of each order's moves (a million at L)
            SELECT l.order_id, min(m.date_deadline) AS day
              FROM stock_move m
              JOIN sale_order_line l ON l.id = m.sale_line_id
              JOIN stock_location dl ON dl.id = m.location_dest_id
             WHERE dl.usage = 'customer' AND m.date_deadline IS NOT NULL
             GROUP BY l.order_id
        )
        INSERT INTO crm_order_service (order_id, company_id, partner_id,
               first_promised_date, promise_change_count, service_level_state,
               create_uid, create_date, write_uid, write_date)
        SELECT so.id, so.company_id, p.commercial_partner_id,
               COALESCE(so.commitment_date, d.day, so.date_order),
               0, 'na', %(uid)s, now() AT TIME ZONE 'UTC',
               %(uid)s, now() AT TIME ZONE 'UTC'
          FROM sale_order so
          JOIN res_partner p ON p.id = so.partner_id
          LEFT JOIN deadline d ON d.order_id = so.id
         WHERE so.state = 'sale'
        ON CONFLICT (order_id) DO NOTHING
        """,
        uid=uid,
    )


def foreign_keys(table):
    """The foreign keys of ``table``: name and definition."""
    return SQL(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        table,
    )


def pending_orders(limit):
    """Orders whose row was never computed (found at install)."""
    return SQL(
        "SELECT order_id FROM crm_order_service WHERE due_date IS NULL "
        "ORDER BY order_id LIMIT %s",
        limit,
    )


def pending_count():
    return SQL("SELECT count(*) FROM crm_order_service WHERE due_date IS NULL")
