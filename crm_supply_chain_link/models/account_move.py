# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        refunds = posted.filtered(lambda m: m.move_type == "out_refund")
        orders = refunds.invoice_line_ids.sale_line_ids.order_id
        orders.filtered(lambda o: o.state == "sale")._service_changed()
        return posted

    def button_draft(self):
        orders = self.filtered(
            lambda m: m.move_type == "out_refund"
        ).invoice_line_ids.sale_line_ids.order_id
        res = super().button_draft()
        orders.filtered(lambda o: o.state == "sale")._service_changed()
        return res
