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

    def _relationship_failed_rules(self):
        return super()._relationship_failed_rules() + [
            self.env["crm.sla.policy"].search(
                [
                    ("rule_error", "!=", False),
                    ("company_id", "=", self.company_id.id),
                ]
            )
        ]

    def action_view_relationship_rule_errors(self):
        self.ensure_one()
        stages, policies = self._relationship_failed_rules()[:2]
        if stages or not policies:
            return super().action_view_relationship_rule_errors()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Service-level policies whose rule failed"),
            "res_model": "crm.sla.policy",
            "view_mode": "list,form",
            "domain": [("id", "in", policies.ids)],
        }
