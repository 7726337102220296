# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from ..engine import profitability_month_queries
from ..models.crm_relationship_metrics_profit import PROFIT_CLASSES

# ratio field -> (numerator, denominator), aggregated as a ratio of sums x 100
RATIOS = {
    "gross_margin_percent": ("gross_margin", "revenue"),
    "net_contribution_percent": ("net_contribution", "revenue"),
    "quotation_win_rate": ("quotations_won", "quotations_decided"),
}


class CrmProfitabilityReport(models.Model):
    """Profitability by customer and month (../shared/METRICS.md, 7): revenue,
    margin, the cost of each driver, net contribution, orders won and lost,
    along the customer's dimensions. The same events as the partner fields:
    over the same days, the same sums. It reads the months the engine stores
    per customer (``crm.profitability.month``) and the customer's current
    salesperson, team, country, region, industry, tier, stage and class."""

    _name = "crm.profitability.report"
    _description = "Customer Profitability Analysis"
    _auto = False
    _rec_name = "partner_id"
    _order = "date desc, net_contribution"

    date = fields.Date(string="Month", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    state_id = fields.Many2one("res.country.state", string="Region", readonly=True)
    industry_id = fields.Many2one("res.partner.industry", readonly=True)
    value_tier = fields.Selection([("A", "A"), ("B", "B"), ("C", "C")], readonly=True)
    relationship_stage_id = fields.Many2one(
        "crm.relationship.stage", string="Relationship Stage", readonly=True
    )
    profit_class = fields.Selection(PROFIT_CLASSES, readonly=True)
    revenue = fields.Float(readonly=True, help="Untaxed, in company currency.")
    gross_margin = fields.Float(readonly=True)
    order_cost = fields.Float(string="Cost: Orders", readonly=True)
    order_line_cost = fields.Float(string="Cost: Order Lines", readonly=True)
    delivery_cost = fields.Float(string="Cost: Deliveries", readonly=True)
    return_cost = fields.Float(string="Cost: Returns", readonly=True)
    request_cost = fields.Float(string="Cost: Requests", readonly=True)
    credit_note_cost = fields.Float(string="Cost: Credit Notes", readonly=True)
    late_order_cost = fields.Float(string="Cost: Late Orders", readonly=True)
    cost_to_serve = fields.Float(readonly=True)
    net_contribution = fields.Float(readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    quotations_won = fields.Integer(readonly=True)
    quotations_lost = fields.Integer(readonly=True)
    quotations_decided = fields.Integer(string="Quotations Won or Lost", readonly=True)
    gross_margin_percent = fields.Float(string="Gross Margin %", readonly=True)
    net_contribution_percent = fields.Float(string="Net Contribution %", readonly=True)
    quotation_win_rate = fields.Float(string="Win Rate %", readonly=True)

    # what the view reads: flushed before it is searched or grouped
    _depends = {
        "crm.profitability.month": ["company_id", "partner_id", "date"],
        "crm.relationship.metrics": ["value_tier", "stage_id", "profit_class"],
        "res.partner": ["user_id", "country_id", "state_id", "industry_id"],
    }

    @property
    def _table_query(self):
        return profitability_month_queries.report_view(
            column_exists(self.env.cr, "res_partner", "team_id")
        )

    def _read_group_select(self, aggregate_spec, query):
        fname, __, func = aggregate_spec.partition(":")
        if fname in RATIOS and func in ("sum", "avg"):
            num, den = RATIOS[fname]
            return SQL(
                "ROUND((SUM(%s)::float / NULLIF(SUM(%s), 0) * 100)::numeric, 2)::float",
                self._field_to_sql(self._table, num, query),
                self._field_to_sql(self._table, den, query),
            )
        return super()._read_group_select(aggregate_spec, query)
