# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmRelationshipStageHistory(models.Model):
    _name = "crm.relationship.stage.history"
    _description = "Relationship Stage Change"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    day = fields.Date(help="Day of the change in the company's timezone.")
    stage_from_id = fields.Many2one(
        "crm.relationship.stage", string="From", ondelete="set null"
    )
    stage_to_id = fields.Many2one(
        "crm.relationship.stage", string="To", required=True, ondelete="cascade"
    )
    stage_to_type = fields.Selection(
        related="stage_to_id.stage_type", store=True, string="Movement"
    )
    reason = fields.Selection(
        [("rule", "Rule"), ("user", "User")], required=True, default="rule"
    )
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    metric_values = fields.Text(help="The metric values the change was decided on.")
    churn_risk_reason = fields.Char()
