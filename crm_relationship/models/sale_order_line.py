# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

RELATIONSHIP_LINE_FIELDS = {
    "product_id",
    "product_uom_qty",
    "price_unit",
    "discount",
    "tax_id",
    "display_type",
}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # sudo: the keys are only queued (see sale.order._relationship_keys)
        lines.order_id._relationship_enqueue(lines.sudo().order_id._relationship_keys())
        return lines

    def write(self, vals):
        res = super().write(vals)
        if RELATIONSHIP_LINE_FIELDS & set(vals):
            self.order_id._relationship_enqueue(
                # sudo: the keys are only queued (see sale.order._relationship_keys)
                self.sudo().order_id._relationship_keys()
            )
        return res

    @api.ondelete(at_uninstall=True)
    def _relationship_enqueue_on_delete(self):
        # sudo: the keys are only queued (see sale.order._relationship_keys)
        self.order_id._relationship_enqueue(self.sudo().order_id._relationship_keys())
