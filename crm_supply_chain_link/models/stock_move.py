# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _service_changed(self):
        """Queue the confirmed orders these moves deliver or return, in one
        SQL statement from the moves (no read of their lines and orders in
        the user's transaction).

        The statement reads the documents whatever the user's rights: the
        user validating a delivery may have no right to read its order (an
        inventory user without sales rights, or a salesperson limited to own
        documents shipping another salesperson's order); the orders are only
        queued, never returned to that user.
        """
        if not self.ids:
            return
        self.flush_model(["sale_line_id", "origin_returned_move_id"])
        self.env["sale.order.line"].flush_model(["order_id"])
        self.env["sale.order"].flush_model(["state"])
        # sudo: the queue is the engine's; the user only records a change
        self.env["crm.order.service.queue"].sudo()._enqueue_moves(self.ids)

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        (self | moves)._service_changed()
        return moves

    def _action_cancel(self):
        res = super()._action_cancel()
        self._service_changed()
        return res
