# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# the line values the service row reads: a change on a confirmed order queues
# the order (its ordered quantities, revenue and margin are computed again)
SERVICE_LINE_FIELDS = frozenset(
    {
        "product_id",
        "product_uom_qty",
        "product_uom",
        "price_unit",
        "discount",
        "tax_id",
        "purchase_price",
        "display_type",
    }
)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _service_orders(self):
        return self.order_id.filtered(lambda o: o.state == "sale")

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._service_orders()._service_changed()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if SERVICE_LINE_FIELDS.intersection(vals):
            self._service_orders()._service_changed()
        return res

    def unlink(self):
        orders = self._service_orders()
        res = super().unlink()
        orders.exists()._service_changed()
        return res
