# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _service_orders(self):
        """The confirmed orders these moves deliver or return, as superuser.

        sudo: bookkeeping on a core flow. The user validating a delivery may
        have no right to read its order (an inventory user without sales
        rights, or a salesperson limited to own documents shipping another
        salesperson's order); the orders are only queued, never returned to
        that user.
        """
        moves = self.sudo()
        orders = moves.sale_line_id.order_id
        returned = moves.origin_returned_move_id.sale_line_id.order_id
        return (orders | returned).filtered(lambda o: o.state == "sale")

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        (self | moves)._service_orders()._service_changed()
        return moves

    def _action_cancel(self):
        res = super()._action_cancel()
        self._service_orders()._service_changed()
        return res
