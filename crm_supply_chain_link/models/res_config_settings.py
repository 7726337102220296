# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    late_tolerance_days = fields.Integer(
        related="company_id.late_tolerance_days", readonly=False
    )
    qty_tolerance_percent = fields.Float(
        related="company_id.qty_tolerance_percent", readonly=False
    )
    service_window_days = fields.Integer(
        related="company_id.service_window_days", readonly=False
    )
    service_risk_otif_threshold = fields.Float(
        related="company_id.service_risk_otif_threshold", readonly=False
    )
