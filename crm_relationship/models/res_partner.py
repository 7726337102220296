# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..const import MONEY_GROUPS, RELATIONSHIP_GROUPS

_METRICS = "commercial_partner_id.relationship_metrics_id."
# the values follow the current company (the many2one is company-dependent)
_COMPANY = ("company",)


class ResPartner(models.Model):
    _inherit = "res.partner"

    relationship_metrics_id = fields.Many2one(
        "crm.relationship.metrics",
        company_dependent=True,
        copy=False,
        readonly=True,
        help="This customer's relationship values in the current company.",
        groups=RELATIONSHIP_GROUPS,
    )
    relationship_stage_id = fields.Many2one(
        "crm.relationship.stage",
        related=_METRICS + "stage_id",
        depends_context=_COMPANY,
        readonly=False,
        string="Relationship Stage",
        group_expand="_read_group_relationship_stage_ids",
        help="Lifecycle stage of the customer in the current company. Setting it "
        "by hand locks it until someone unlocks it.",
        groups=RELATIONSHIP_GROUPS,
    )
    relationship_stage_type = fields.Selection(
        related=_METRICS + "stage_id.stage_type",
        depends_context=_COMPANY,
        string="Stage Type",
        groups=RELATIONSHIP_GROUPS,
    )
    relationship_stage_locked = fields.Boolean(
        related=_METRICS + "stage_locked",
        depends_context=_COMPANY,
        string="Stage Locked",
        groups=RELATIONSHIP_GROUPS,
    )
    relationship_stage_date = fields.Date(
        related=_METRICS + "stage_date",
        depends_context=_COMPANY,
        string="In Stage Since",
        groups=RELATIONSHIP_GROUPS,
    )
    first_order_date = fields.Date(
        related=_METRICS + "first_order_date",
        depends_context=_COMPANY,
        groups=RELATIONSHIP_GROUPS,
    )
    last_order_date = fields.Date(
        related=_METRICS + "last_order_date",
        depends_context=_COMPANY,
        groups=RELATIONSHIP_GROUPS,
    )
    lifetime_order_count = fields.Integer(
        related=_METRICS + "lifetime_order_count",
        depends_context=_COMPANY,
        help="Confirmed sales orders, all time.",
        groups=RELATIONSHIP_GROUPS,
    )
    lifetime_revenue = fields.Float(
        related=_METRICS + "lifetime_revenue",
        depends_context=_COMPANY,
        help="Untaxed amount of all confirmed orders, in company currency.",
        groups=MONEY_GROUPS,
    )
    average_order_value = fields.Float(
        related=_METRICS + "average_order_value",
        depends_context=_COMPANY,
        groups=MONEY_GROUPS,
    )
    recency_days = fields.Integer(
        related=_METRICS + "recency_days",
        depends_context=_COMPANY,
        help="Days since the last confirmed order.",
        groups=RELATIONSHIP_GROUPS,
    )
    tenure_days = fields.Integer(
        related=_METRICS + "tenure_days",
        depends_context=_COMPANY,
        help="Days since the first confirmed order (relationship length).",
        groups=RELATIONSHIP_GROUPS,
    )
    rfm_frequency = fields.Integer(
        related=_METRICS + "rfm_frequency",
        depends_context=_COMPANY,
        string="Orders in Window",
        help="Confirmed orders in the RFM window.",
        groups=RELATIONSHIP_GROUPS,
    )
    rfm_monetary = fields.Float(
        related=_METRICS + "rfm_monetary",
        depends_context=_COMPANY,
        string="Revenue in Window",
        help="Untaxed amount of the confirmed orders in the RFM window.",
        groups=MONEY_GROUPS,
    )
    purchase_interval_days = fields.Float(
        related=_METRICS + "purchase_interval_days",
        depends_context=_COMPANY,
        help="Mean gap in days between distinct order days.",
        groups=RELATIONSHIP_GROUPS,
    )
    expected_next_order_date = fields.Date(
        related=_METRICS + "expected_next_order_date",
        depends_context=_COMPANY,
        groups=RELATIONSHIP_GROUPS,
    )
    churn_risk = fields.Float(
        related=_METRICS + "churn_risk",
        depends_context=_COMPANY,
        help="0-100: how far the silence exceeds the customer's own buying rhythm.",
        groups=RELATIONSHIP_GROUPS,
    )
    churn_risk_reason = fields.Char(
        related=_METRICS + "churn_risk_reason",
        depends_context=_COMPANY,
        groups=RELATIONSHIP_GROUPS,
    )
    rfm_recency_score = fields.Integer(
        related=_METRICS + "rfm_recency_score",
        depends_context=_COMPANY,
        string="RFM Recency Score",
        help="1-5: the company's customers in fifths by days since the last "
        "order (5: the most recent).",
        groups=RELATIONSHIP_GROUPS,
    )
    rfm_frequency_score = fields.Integer(
        related=_METRICS + "rfm_frequency_score",
        depends_context=_COMPANY,
        string="RFM Frequency Score",
        help="1-5: the company's customers in fifths by orders in the RFM window.",
        groups=RELATIONSHIP_GROUPS,
    )
    rfm_monetary_score = fields.Integer(
        related=_METRICS + "rfm_monetary_score",
        depends_context=_COMPANY,
        string="RFM Monetary Score",
        help="1-5: the company's customers in fifths by revenue in the RFM window.",
        groups=RELATIONSHIP_GROUPS,
    )
    rfm_segment = fields.Selection(
        related=_METRICS + "rfm_segment",
        depends_context=_COMPANY,
        string="RFM Segment",
        help="The segment of the recency score and the mean of the frequency "
        "and monetary scores.",
        groups=RELATIONSHIP_GROUPS,
    )
    value_tier = fields.Selection(
        related=_METRICS + "value_tier",
        depends_context=_COMPANY,
        help="Pareto tier on the revenue of the RFM window.",
        groups=RELATIONSHIP_GROUPS,
    )
    predicted_clv = fields.Float(
        related=_METRICS + "predicted_clv",
        depends_context=_COMPANY,
        string="Predicted Value (365 days)",
        help="Expected revenue of the next 365 days.",
        groups=MONEY_GROUPS,
    )
    value_at_risk = fields.Float(
        related=_METRICS + "value_at_risk",
        depends_context=_COMPANY,
        help="Predicted value of the next 365 days x churn risk / 100: the "
        "revenue the risk of losing the customer puts at stake.",
        groups=MONEY_GROUPS,
    )
    overdue_receivable = fields.Float(
        related=_METRICS + "overdue_receivable",
        depends_context=_COMPANY,
        help="Posted invoices less credit notes due before today and not paid, "
        "in company currency.",
        groups=MONEY_GROUPS,
    )
    product_category_count = fields.Integer(
        related=_METRICS + "product_category_count",
        depends_context=_COMPANY,
        string="Categories Bought",
        help="Distinct product categories bought in the RFM window (depth).",
        groups=RELATIONSHIP_GROUPS,
    )
    contact_count = fields.Integer(
        related=_METRICS + "contact_count",
        depends_context=_COMPANY,
        string="Ordering Contacts",
        help="Distinct contacts who ordered in the RFM window (breadth).",
        groups=RELATIONSHIP_GROUPS,
    )
    reactivation_date = fields.Date(
        related=_METRICS + "reactivation_date",
        depends_context=_COMPANY,
        groups=RELATIONSHIP_GROUPS,
    )
    relationship_computed_on = fields.Date(
        related=_METRICS + "relationship_computed_on",
        depends_context=_COMPANY,
        groups=RELATIONSHIP_GROUPS,
    )
    relationship_currency_id = fields.Many2one(
        "res.currency",
        related=_METRICS + "currency_id",
        depends_context=_COMPANY,
        string="Relationship Currency",
        groups=RELATIONSHIP_GROUPS,
    )
    relationship_history_ids = fields.One2many(
        "crm.relationship.stage.history",
        "partner_id",
        string="Stage History",
        groups=RELATIONSHIP_GROUPS,
    )
    relationship_snapshot_ids = fields.One2many(
        "crm.relationship.snapshot",
        compute="_compute_relationship_snapshot_ids",
        string="Month Ends",
        groups=RELATIONSHIP_GROUPS,
        help="The customer's stage and revenue at the last 12 month ends in the "
        "current company (docs/history.md).",
    )
    request_open_count = fields.Integer(
        related=_METRICS + "request_open_count",
        depends_context=_COMPANY,
        string="Open Requests",
        groups=RELATIONSHIP_GROUPS,
    )
    request_overdue_count = fields.Integer(
        related=_METRICS + "request_overdue_count",
        depends_context=_COMPANY,
        string="Overdue Requests",
        groups=RELATIONSHIP_GROUPS,
    )
    open_complaint_count = fields.Integer(
        related=_METRICS + "open_complaint_count",
        depends_context=_COMPANY,
        string="Open Complaints",
        groups=RELATIONSHIP_GROUPS,
    )
    open_complaint_days = fields.Integer(
        related=_METRICS + "open_complaint_days",
        depends_context=_COMPANY,
        string="Oldest Open Complaint (days)",
        groups=RELATIONSHIP_GROUPS,
    )
    request_response_hours = fields.Float(
        related=_METRICS + "request_response_hours",
        depends_context=_COMPANY,
        string="Mean Response Time (hours)",
        groups=RELATIONSHIP_GROUPS,
    )
    request_solve_hours = fields.Float(
        related=_METRICS + "request_solve_hours",
        depends_context=_COMPANY,
        string="Mean Solve Time (hours)",
        groups=RELATIONSHIP_GROUPS,
    )
    customer_request_count = fields.Integer(
        compute="_compute_customer_request_count",
        help="Open requests of the customer (live count).",
        groups=RELATIONSHIP_GROUPS,
    )
    relationship_consent = fields.Selection(
        [
            ("ok", "Emails allowed"),
            ("blacklisted", "Opted out (blacklisted)"),
            ("no_email", "No email address"),
        ],
        string="Email Consent",
        compute="_compute_relationship_consent",
        help="Follow-up emails of the stages and service-level policies are sent "
        "only when allowed; opting out is Odoo's email blacklist.",
        groups=RELATIONSHIP_GROUPS,
    )
    relationship_handover_ids = fields.One2many(
        "crm.handover", "partner_id", string="Handovers", groups=RELATIONSHIP_GROUPS
    )

    @api.depends_context("company")
    def _compute_relationship_snapshot_ids(self):
        Snapshot = self.env["crm.relationship.snapshot"]
        for partner in self:
            partner.relationship_snapshot_ids = Snapshot.search(
                [
                    ("partner_id", "=", partner.commercial_partner_id.id),
                    ("company_id", "=", self.env.company.id),
                ],
                order="date desc",
                limit=12,
            )

    def _compute_customer_request_count(self):
        counts = dict(
            self.env["crm.customer.request"]._read_group(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    ("state", "in", ("new", "in_progress", "waiting")),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.customer_request_count = counts.get(
                partner.commercial_partner_id, 0
            )

    @api.depends("email_normalized", "is_blacklisted")
    def _compute_relationship_consent(self):
        for partner in self:
            if not partner.email_normalized:
                partner.relationship_consent = "no_email"
            elif partner.is_blacklisted:
                partner.relationship_consent = "blacklisted"
            else:
                partner.relationship_consent = "ok"

    @api.model
    def _read_group_relationship_stage_ids(self, stages, domain):
        return stages.search([("company_id", "in", (False, self.env.company.id))])
