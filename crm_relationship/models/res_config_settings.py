# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rfm_window_days = fields.Integer(
        related="company_id.rfm_window_days", readonly=False
    )
    lost_after_days = fields.Integer(
        related="company_id.lost_after_days", readonly=False
    )
    value_tier_a_percent = fields.Float(
        related="company_id.value_tier_a_percent", readonly=False
    )
    value_tier_b_percent = fields.Float(
        related="company_id.value_tier_b_percent", readonly=False
    )
