# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models

from ..engine import request_queries


# one concern per file (docs/architecture.md, "Map"): the values' model is
# extended by several files of this module on purpose
class CrmRelationshipMetrics(models.Model):
    """The customer request figures of the values (../shared/METRICS.md,
    section 4): open, overdue and complaint counts, response and solve times,
    in the same batch and upsert as the other values, and the churn risk an
    old complaint raises."""

    _inherit = "crm.relationship.metrics"  # pylint: disable=R8180

    # ---- customer requests ----
    request_open_count = fields.Integer(
        string="Open Requests",
        readonly=True,
        aggregator="sum",
        help="Customer requests not solved nor cancelled.",
    )
    request_overdue_count = fields.Integer(
        string="Overdue Requests",
        readonly=True,
        aggregator="sum",
        help="Open requests without an answer past their response due date.",
    )
    open_complaint_count = fields.Integer(
        string="Open Complaints",
        readonly=True,
        aggregator="sum",
        help="Complaints not solved nor cancelled: new quotations warn about " "them.",
    )
    open_complaint_days = fields.Integer(
        string="Oldest Open Complaint (days)",
        readonly=True,
        aggregator="max",
        help="Age in days of the customer's oldest open complaint; 0 without one.",
    )
    request_response_hours = fields.Float(
        string="Mean Response Time (hours)",
        readonly=True,
        aggregator="avg",
        help="Mean hours to the first answer of the requests created in the RFM "
        "window.",
    )
    request_solve_hours = fields.Float(
        string="Mean Solve Time (hours)",
        readonly=True,
        aggregator="avg",
        help="Mean hours to solve the requests created in the RFM window.",
    )

    def init(self):
        res = super().init()
        # rows are inserted by SQL (the engine's upsert) with only the batch
        # columns: the counts start at 0, so that a first computation does not
        # write every row a second time to turn NULL into 0
        self._set_column_defaults(
            {
                "request_open_count": 0,
                "request_overdue_count": 0,
                "open_complaint_count": 0,
                "open_complaint_days": 0,
            }
        )
        return res

    @api.model
    def _request_query(self, partner_ids, company):
        """The customer request figures: partner_id then the values of
        REQUEST_COLUMNS, one row per customer of ``partner_ids``."""
        tz, as_of = self._as_of(company)
        return request_queries.request_values(
            partner_ids,
            company.id,
            tz,
            as_of,
            now=self._as_of_now(company),
            window_start=fields.Datetime.to_datetime(as_of)
            - timedelta(days=company.rfm_window_days),
        )

    @api.model
    def _write_complaint_risk(self, company, partner_ids=None):
        """An open complaint older than the company's delay raises churn risk."""
        tz, as_of = self._as_of(company)
        lang = company.partner_id.lang or "en_US"
        template = self.with_context(lang=lang).env._(
            "Complaint open since %(date)s (%(days)s days)"
        )
        template = self._pg_format(template, ["date", "days"])
        self.env["crm.customer.request"].flush_model()
        self.env.cr.execute(
            request_queries.complaint_risk_update(
                company.id,
                tz,
                as_of,
                template,
                company.complaint_risk_days,
                partner_ids,
            )
        )
        self.invalidate_model(["churn_risk", "churn_risk_reason"])

    @api.model
    def _write_company_overrides(self, company, partner_ids=None):
        res = super()._write_company_overrides(company, partner_ids)
        self._write_complaint_risk(company, partner_ids)
        return res
