# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
import time

from odoo import api, fields, models

from odoo.addons.crm_relationship.models.crm_relationship_queue_mixin import (
    retry_delay,
)

from ..engine import queue_queries

_logger = logging.getLogger(__name__)


class CrmOrderServiceQueue(models.Model):
    """Orders whose service figures must be computed again (append-only).

    Confirming or cancelling an order, validating a delivery or a return and
    posting a credit note only append the order here and wake the scheduled
    action of the relationship queue, which computes the orders first, then
    their customers. The user's transaction never runs the computation, and
    two users acting on the same order never update the same queue row.
    """

    _name = "crm.order.service.queue"
    _inherit = ["crm.relationship.queue.mixin"]
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
    def _enqueue_moves(self, move_ids):
        """Append the confirmed orders these stock moves deliver or return,
        found by SQL from the moves, and wake the scheduled action."""
        if move_ids and self.env.execute_query(
            queue_queries.append_move_orders(move_ids)
        ):
            self.env["crm.relationship.queue"]._wake()

    @api.model
    def _process(self, limit=20000, chunk=5000, deadline=None):
        """Compute the queued orders (up to ``limit``, by ``chunk``) and queue
        their customers; return the number of orders computed. When
        ``deadline`` (``time.monotonic()``) has passed, stop after the chunk
        under way: the orders not reached stay queued for the next call.

        A chunk that fails is computed again order by order; an order that
        still fails stays queued with its error, attempt and retry time (as
        customers do), so that it never blocks the others.
        """
        now = fields.Datetime.now()
        # one drain of the order queue at a time; another one running: skip
        if not self._try_lock(0):
            return 0
        rows = self.env.execute_query(queue_queries.pending_orders(limit, now))
        if not rows:
            return 0
        attempts = {row[0]: row[2] for row in rows}
        failed = {}
        taken = []
        for start in range(0, len(rows), chunk):
            if taken and deadline and time.monotonic() > deadline:
                break
            part = rows[start : start + chunk]
            failed.update(self._recompute_safe([row[0] for row in part]))
            taken += part
        rows = taken
        order_ids = [row[0] for row in rows]
        # their customers' rates change: the caller drains this queue next
        self.env.cr.execute(
            queue_queries.queue_customers_and_drain(
                order_ids,
                [row[1] for row in rows],
                [oid for oid in order_ids if oid not in failed],
            )
        )
        if failed:
            self.env.cr.execute(
                queue_queries.requeue_failed_orders(
                    [
                        (
                            oid,
                            error,
                            attempts[oid] + 1,
                            now + retry_delay(attempts[oid] + 1),
                        )
                        for oid, error in failed.items()
                    ]
                )
            )
            self._wake_at(now + retry_delay(min(attempts[oid] for oid in failed) + 1))
        if len(rows) == limit or (deadline and time.monotonic() > deadline):
            # more may be left: the scheduled action runs again
            self.env["crm.relationship.queue"]._wake()
        return len(rows)

    @api.model
    def _recompute_safe(self, order_ids):
        """Compute the orders, else one by one; return {order id: error} of
        those that failed alone."""
        # sudo: the engine's tables, whoever woke the scheduled action
        Service = self.env["crm.order.service"].sudo()
        return self._split_on_error(
            order_ids,
            batch=Service._recompute_orders,
            one=lambda order_id: Service._recompute_orders([order_id]),
            what="Service figures of orders",
            logger=_logger,
        )[1]
