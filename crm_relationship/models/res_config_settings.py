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
    request_complaint_hours = fields.Integer(
        related="company_id.request_complaint_hours", readonly=False
    )
    request_repair_hours = fields.Integer(
        related="company_id.request_repair_hours", readonly=False
    )
    request_question_hours = fields.Integer(
        related="company_id.request_question_hours", readonly=False
    )
    complaint_risk_days = fields.Integer(
        related="company_id.complaint_risk_days", readonly=False
    )
    price_conflict_tolerance_percent = fields.Float(
        related="company_id.price_conflict_tolerance_percent", readonly=False
    )
    price_conflict_days = fields.Integer(
        related="company_id.price_conflict_days", readonly=False
    )
    price_conflict_block = fields.Boolean(
        related="company_id.price_conflict_block", readonly=False
    )
