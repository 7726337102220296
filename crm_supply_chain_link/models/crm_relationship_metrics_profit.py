# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# One concern per file (docs/architecture.md): the service values and the
# profitability values extend the same model from two files.
# pylint: disable=consider-merging-classes-inherited
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.sql import column_exists

from odoo.addons.crm_relationship.const import MONEY_GROUPS
from odoo.addons.crm_relationship.engine import batch

from ..engine import profitability_month_queries, profitability_queries

PROFIT_CLASSES = [("profitable", "Profitable"), ("unprofitable", "Unprofitable")]
PROFIT_COLUMNS = [
    "gross_margin",
    "gross_margin_percent",
    "cost_to_serve",
    "net_contribution",
    "net_contribution_percent",
    "profit_class",
]


class CrmRelationshipMetrics(models.Model):
    """Profitability per customer (../shared/METRICS.md, 7), in the same
    batches and upsert as the other values."""

    _inherit = "crm.relationship.metrics"

    gross_margin = fields.Float(
        readonly=True,
        aggregator="sum",
        groups=MONEY_GROUPS,
        help="Margin of the confirmed orders of the RFM window (sales price less "
        "cost), in company currency.",
    )
    gross_margin_percent = fields.Float(
        string="Gross Margin %",
        readonly=True,
        aggregator="avg",
        groups=MONEY_GROUPS,
        help="Gross margin / revenue of the RFM window x 100.",
    )
    cost_to_serve = fields.Float(
        readonly=True,
        aggregator="sum",
        groups=MONEY_GROUPS,
        help="The customer's events of the RFM window (orders, lines, deliveries, "
        "returns, requests, credit notes, late orders) priced by the active cost "
        "drivers.",
    )
    net_contribution = fields.Float(
        readonly=True,
        aggregator="sum",
        groups=MONEY_GROUPS,
        help="Gross margin less cost to serve, over the RFM window.",
    )
    net_contribution_percent = fields.Float(
        string="Net Contribution %",
        readonly=True,
        aggregator="avg",
        groups=MONEY_GROUPS,
        help="Net contribution / revenue of the RFM window x 100.",
    )
    profit_class = fields.Selection(
        PROFIT_CLASSES,
        readonly=True,
        index=True,
        groups=MONEY_GROUPS,
        help="Profitable when the net contribution is 0 or more.",
    )

    @api.model
    def _write_after_company(self, partner_ids, company):
        """The customers' months for the profitability analysis."""
        res = super()._write_after_company(partner_ids, company)
        tz, as_of = self._as_of(company)
        self.env.cr.execute(
            profitability_month_queries.monthly_refresh(
                partner_ids,
                company.id,
                tz,
                column_exists(self.env.cr, "sale_order_line", "is_delivery"),
                since=as_of - timedelta(days=company.rfm_window_days - 1),
                as_of=as_of,
            )
        )
        return res

    @api.model
    def _batch_parts(self, partner_ids, company):
        def profitability(inputs):
            for model in ("crm.cost.driver", "stock.picking", "account.move"):
                self.env[model].flush_model()
            tz, as_of = self._as_of(company)
            return profitability_queries.profit_values(
                inputs,
                profitability_queries.customer_profitability(
                    partner_ids,
                    company.id,
                    tz,
                    start=as_of - timedelta(days=company.rfm_window_days),
                    as_of=as_of,
                    has_is_delivery=column_exists(
                        self.env.cr, "sale_order_line", "is_delivery"
                    ),
                ),
            )

        # the percentages read the window's revenue of the orders part
        return super()._batch_parts(partner_ids, company) + [
            batch.Part(
                "profitability",
                tuple(PROFIT_COLUMNS),
                profitability,
                reads=("rfm_monetary",),
            )
        ]
