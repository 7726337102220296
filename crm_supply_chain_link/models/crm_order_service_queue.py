# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..engine import queue_queries


class CrmOrderServiceQueue(models.Model):
    """Orders whose service figures must be computed again (append-only).

    Confirming or cancelling an order, validating a delivery or a return and
    posting a credit note only append the order here and wake the scheduled
    action of the relationship queue, which computes the orders first, then
    their customers. The user's transaction never runs the computation, and
    two users acting on the same order never update the same queue row.
    """

    _name = "crm.order.service.queue"
    _description = "Service Level Recompute Queue"
    _log_access = False
    _order = "id"

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True
    )

    @api.model
    def _enqueue(self, order_ids):
        """Append these orders and wake the scheduled action."""
        order_ids = sorted({oid for oid in order_ids if oid})
        if not order_ids:
            return
        self.env.cr.execute(queue_queries.append_orders(order_ids))
        self.env["crm.relationship.queue"]._wake()

    @api.model
    def _process(self, limit=20000, chunk=5000):
        """Compute the queued orders (up to ``limit``, by ``chunk``) and queue
        their customers; return the number of orders done."""
        rows = self.env.execute_query(queue_queries.pending_orders(limit))
        if not rows:
            return 0
        order_ids = [row[0] for row in rows]
        # sudo: the engine's tables, whoever woke the scheduled action
        Service = self.env["crm.order.service"].sudo()
        for start in range(0, len(order_ids), chunk):
            Service._recompute_orders(order_ids[start : start + chunk])
        # their customers' rates change: the caller drains this queue next
        self.env.cr.execute(
            queue_queries.queue_customers_and_drain(order_ids, [row[1] for row in rows])
        )
        if len(rows) == limit:
            # more to do: the scheduled action runs again
            self.env["crm.relationship.queue"]._wake()
        return len(rows)
