# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted._service_refund_orders()._service_changed()
        return posted

    def button_draft(self):
        orders = self._service_refund_orders()
        res = super().button_draft()
        orders._service_changed()
        return res

    def _service_refund_orders(self):
        """The confirmed orders whose lines these credit notes refund.

        sudo: bookkeeping on a core flow; an accountant may post a credit note
        of an order they cannot read (another salesperson's). The orders are
        only queued, never returned to that user.
        """
        refunds = self.sudo().filtered(lambda m: m.move_type == "out_refund")
        orders = refunds.invoice_line_ids.sale_line_ids.order_id
        return orders.filtered(lambda o: o.state == "sale")
