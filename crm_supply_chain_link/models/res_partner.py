# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from odoo.addons.crm_relationship.const import MONEY_GROUPS

from ..const import SERVICE_GROUPS

_METRICS = "commercial_partner_id.relationship_metrics_id."
_COMPANY = ("company",)


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ---- profitability (../shared/METRICS.md, 7): money, sales rights ----
    gross_margin = fields.Float(
        related=_METRICS + "gross_margin",
        depends_context=_COMPANY,
        help="Margin of the confirmed orders of the RFM window, in company currency.",
        groups=MONEY_GROUPS,
    )
    gross_margin_percent = fields.Float(
        related=_METRICS + "gross_margin_percent",
        depends_context=_COMPANY,
        string="Gross Margin %",
        groups=MONEY_GROUPS,
    )
    cost_to_serve = fields.Float(
        related=_METRICS + "cost_to_serve",
        depends_context=_COMPANY,
        help="The customer's events of the RFM window priced by the active cost "
        "drivers (Sales > Configuration > Cost Drivers).",
        groups=MONEY_GROUPS,
    )
    net_contribution = fields.Float(
        related=_METRICS + "net_contribution",
        depends_context=_COMPANY,
        help="Gross margin less cost to serve, over the RFM window.",
        groups=MONEY_GROUPS,
    )
    net_contribution_percent = fields.Float(
        related=_METRICS + "net_contribution_percent",
        depends_context=_COMPANY,
        string="Net Contribution %",
        groups=MONEY_GROUPS,
    )
    profit_class = fields.Selection(
        related=_METRICS + "profit_class",
        depends_context=_COMPANY,
        help="Profitable when the net contribution is 0 or more.",
        groups=MONEY_GROUPS,
    )

    service_order_count = fields.Integer(
        related=_METRICS + "service_order_count",
        depends_context=_COMPANY,
        help="Orders due in the service window: the sample size of the rates.",
        groups=SERVICE_GROUPS,
    )
    service_otif_rate = fields.Float(
        related=_METRICS + "service_otif_rate",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )
    service_on_time_rate = fields.Float(
        related=_METRICS + "service_on_time_rate",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )
    service_in_full_rate = fields.Float(
        related=_METRICS + "service_in_full_rate",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )
    service_perfect_order_rate = fields.Float(
        related=_METRICS + "service_perfect_order_rate",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )
    service_fill_rate = fields.Float(
        related=_METRICS + "service_fill_rate",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )
    service_cycle_time_days = fields.Float(
        related=_METRICS + "service_cycle_time_days",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )
    service_return_rate = fields.Float(
        related=_METRICS + "service_return_rate",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )
    service_late_order_count = fields.Integer(
        related=_METRICS + "service_late_order_count",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )
    service_at_risk = fields.Boolean(
        related=_METRICS + "service_at_risk",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )

    sla_policy_id = fields.Many2one(
        "crm.sla.policy",
        related=_METRICS + "sla_policy_id",
        depends_context=_COMPANY,
        string="Service-Level Policy",
        groups=SERVICE_GROUPS,
    )
    sla_status = fields.Selection(
        related=_METRICS + "sla_status",
        depends_context=_COMPANY,
        string="Service-Level Status",
        groups=SERVICE_GROUPS,
    )
    sla_status_date = fields.Date(
        related=_METRICS + "sla_status_date",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )
    sla_status_reason = fields.Char(
        related=_METRICS + "sla_status_reason",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )
    sla_order_count = fields.Integer(
        related=_METRICS + "sla_order_count",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )
    sla_otif_rate = fields.Float(
        related=_METRICS + "sla_otif_rate",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )
    sla_fill_rate = fields.Float(
        related=_METRICS + "sla_fill_rate",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )
    sla_cycle_time_days = fields.Float(
        related=_METRICS + "sla_cycle_time_days",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )
    sla_return_rate = fields.Float(
        related=_METRICS + "sla_return_rate",
        depends_context=_COMPANY,
        groups=SERVICE_GROUPS,
    )

    def action_view_service_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_supply_chain_link.crm_order_service_action"
        )
        action["domain"] = [
            ("partner_id", "=", self.commercial_partner_id.id),
            ("company_id", "=", self.env.company.id),
        ]
        return action
