# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _service_orders(self):
        orders = self.sale_line_id.order_id
        returned = self.origin_returned_move_id.sale_line_id.order_id
        return (orders | returned).filtered(lambda o: o.state == "sale")

    def _action_done(self, cancel_backorder=False):
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        (self | moves)._service_orders()._service_changed()
        return moves

    def _action_cancel(self):
        res = super()._action_cancel()
        self._service_orders()._service_changed()
        return res
