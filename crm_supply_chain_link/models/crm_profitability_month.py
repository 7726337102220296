# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmProfitabilityMonth(models.Model):
    """The priced events of a customer in one month (../shared/METRICS.md, 7),
    written set-based by the engine in the customer's batch
    (``profitability_month_queries.monthly_refresh``), read by the profitability
    analysis: a pivot reads one row per customer and month instead of every
    order, line, transfer and request."""

    _name = "crm.profitability.month"
    _description = "Customer Profitability by Month"
    _log_access = False
    _order = "date desc, id"

    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True
    )
    date = fields.Date(string="Month", required=True)
    revenue = fields.Float()
    gross_margin = fields.Float()
    order_cost = fields.Float()
    order_line_cost = fields.Float()
    delivery_cost = fields.Float()
    return_cost = fields.Float()
    request_cost = fields.Float()
    credit_note_cost = fields.Float()
    late_order_cost = fields.Float()
    cost_to_serve = fields.Float()
    net_contribution = fields.Float()
    order_count = fields.Integer()
    quotations_won = fields.Integer()
    quotations_lost = fields.Integer()

    _sql_constraints = [
        (
            "customer_month_uniq",
            "unique(company_id, partner_id, date)",
            "One row per customer, company and month.",
        )
    ]
