# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

RELATIONSHIP_ORDER_FIELDS = {"state", "partner_id", "date_order", "company_id"}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _relationship_keys(self):
        return {
            (order.partner_id.commercial_partner_id.id, order.company_id.id)
            for order in self
            if order.state == "sale"
        }

    def _relationship_enqueue(self, keys):
        # sudo: the queue is the engine's; a salesperson confirming an order only
        # records that its customer changed
        self.env["crm.relationship.queue"].sudo()._enqueue(keys)

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # a new quotation brings its customer into scope (as a prospect)
        orders._relationship_enqueue(
            {(o.partner_id.commercial_partner_id.id, o.company_id.id) for o in orders}
        )
        return orders

    def write(self, vals):
        if not RELATIONSHIP_ORDER_FIELDS & set(vals):
            return super().write(vals)
        before = self._relationship_keys()
        res = super().write(vals)
        self._relationship_enqueue(before | self._relationship_keys())
        return res
