# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmCustomerRequest(models.Model):
    _inherit = "crm.customer.request"

    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
        help="The delivery the request is about (a short or damaged delivery...).",
    )
