# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmOrderLineService(models.Model):
    """Service level of one measured line of a confirmed order, written by
    the order's statement (engine/service_queries.py)."""

    _name = "crm.order.line.service"
    _description = "Sales Order Line Service Level"
    _order = "line_id"
    _rec_name = "line_id"

    line_id = fields.Many2one(
        "sale.order.line", required=True, ondelete="cascade", index=True, readonly=True
    )
    service_id = fields.Many2one(
        "crm.order.service", required=True, ondelete="cascade", index=True
    )
    order_id = fields.Many2one("sale.order", readonly=True, index=True)
    company_id = fields.Many2one(related="service_id.company_id")
    product_id = fields.Many2one(related="line_id.product_id")
    product_uom_id = fields.Many2one(related="line_id.product_id.uom_id", string="Unit")
    ordered_qty = fields.Float(readonly=True, help="In the product's unit.")
    delivered_qty = fields.Float(
        readonly=True, help="Done deliveries to the customer, gross, capped."
    )
    on_time_qty = fields.Float(
        string="Delivered On Time", readonly=True, help="Delivered by the due day."
    )
    returned_qty = fields.Float(readonly=True)
    invoiced_qty = fields.Float(related="line_id.qty_invoiced")
    is_closed = fields.Boolean(string="Closed", readonly=True)
    closing_date = fields.Date(readonly=True)
    due_date = fields.Date(readonly=True)

    _sql_constraints = [
        ("line_uniq", "unique(line_id)", "A line has one service-level row.")
    ]
