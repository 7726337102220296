# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..const import MONEY_GROUPS
from ..engine import batch, money_queries


# one concern per file (docs/architecture.md, "Map"): the values' model is
# extended by several files of this module on purpose
class CrmRelationshipMetrics(models.Model):
    """Money at risk (../shared/METRICS.md, 7): the overdue receivable, in the
    per-customer batch, and the value at risk, after the company pass."""

    _inherit = "crm.relationship.metrics"  # pylint: disable=R8180

    overdue_receivable = fields.Float(
        readonly=True,
        aggregator="sum",
        groups=MONEY_GROUPS,
        help="What the customer owes past the due dates: posted invoices less "
        "credit notes due before today and not paid, in company currency.",
    )
    value_at_risk = fields.Float(
        readonly=True,
        aggregator="sum",
        groups=MONEY_GROUPS,
        help="Predicted value of the next 365 days x churn risk / 100: the "
        "revenue the risk of losing the customer puts at stake.",
    )

    def init(self):
        res = super().init()
        self._set_column_defaults({"overdue_receivable": 0})
        return res

    @api.model
    def _batch_parts(self, partner_ids, company):
        def receivables(_inputs):
            self.env["account.move"].flush_model(
                [
                    "commercial_partner_id",
                    "company_id",
                    "state",
                    "move_type",
                    "invoice_date_due",
                    "payment_state",
                    "amount_residual_signed",
                ]
            )
            return batch.renamed(
                money_queries.overdue_receivables(
                    partner_ids, company.id, self._as_of(company)[1]
                ),
                {"overdue_receivable": "overdue"},
            )

        return super()._batch_parts(partner_ids, company) + [
            batch.Part("receivables", ("overdue_receivable",), receivables)
        ]

    @api.model
    def _write_company_overrides(self, company, partner_ids=None):
        res = super()._write_company_overrides(company, partner_ids)
        # once the churn risk is final (complaints...)
        self.flush_model(["predicted_clv", "churn_risk"])
        self.env.cr.execute(money_queries.value_at_risk_update(company.id, partner_ids))
        self.invalidate_model(["value_at_risk"])
        return res
