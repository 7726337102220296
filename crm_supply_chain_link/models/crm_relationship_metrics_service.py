# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.crm_relationship.engine import batch

from ..engine import customer_service_queries
from ..engine.customer_service_queries import RATE_VALUES

SERVICE_COLUMNS = [
    "service_order_count",
    "service_otif_rate",
    "service_on_time_rate",
    "service_in_full_rate",
    "service_perfect_order_rate",
    "service_fill_rate",
    "service_cycle_time_days",
    "service_return_rate",
    "service_late_order_count",
    "service_at_risk",
]


class CrmRelationshipMetrics(models.Model):
    """The customer's service rates over the service window (METRICS 3): a
    part of the per-customer batch, and the service risk reason after the
    company pass."""

    _inherit = "crm.relationship.metrics"  # pylint: disable=R8180

    service_order_count = fields.Integer(
        readonly=True,
        aggregator="sum",
        help="Orders due in the service window: the sample size of the rates.",
    )
    service_otif_rate = fields.Float(
        string="OTIF %",
        readonly=True,
        aggregator="avg",
        help="Orders delivered on time and in full / orders due in the service "
        "window (the last N days, settings); an order still open after its "
        "due day counts as a miss.",
    )
    service_on_time_rate = fields.Float(
        string="On Time %",
        readonly=True,
        aggregator="avg",
        help="Orders delivered by their due day / orders due in the service " "window.",
    )
    service_in_full_rate = fields.Float(
        string="In Full %",
        readonly=True,
        aggregator="avg",
        help="Orders delivered in full / orders due in the service window.",
    )
    service_perfect_order_rate = fields.Float(
        string="Perfect Order %",
        readonly=True,
        aggregator="avg",
        help="Orders on time, in full, without return or credit note / orders "
        "due in the service window.",
    )
    service_fill_rate = fields.Float(
        string="Fill Rate %",
        readonly=True,
        aggregator="avg",
        help="Quantity delivered by the due day / quantity ordered, over the "
        "orders due in the service window.",
    )
    service_cycle_time_days = fields.Float(
        string="Cycle Time (days)",
        readonly=True,
        aggregator="avg",
        help="Mean days from order to delivery of the delivered orders due in "
        "the service window.",
    )
    service_return_rate = fields.Float(
        string="Return Rate %",
        readonly=True,
        aggregator="avg",
        help="Quantity returned / quantity delivered, over the orders due in the"
        " service window.",
    )
    service_late_order_count = fields.Integer(
        string="Late Orders",
        readonly=True,
        aggregator="sum",
        help="Orders due in the service window delivered late or still overdue.",
    )
    service_at_risk = fields.Boolean(
        readonly=True,
        help="The customer's OTIF rate over the window is below its target.",
    )

    def init(self):
        res = super().init()
        # rows are inserted by SQL (the engine's upsert): no order counted yet
        self._set_column_defaults(
            {
                "service_order_count": 0,
                "service_late_order_count": 0,
                "service_at_risk": False,
            }
        )
        return res

    @api.model
    def _batch_parts(self, partner_ids, company):
        def rates(_inputs):
            # the service rates in the same upsert as the other values
            self.env["crm.order.service"].flush_model()
            return batch.renamed(
                self._service_query(partner_ids, company),
                dict(zip(SERVICE_COLUMNS, RATE_VALUES, strict=True)),
            )

        return super()._batch_parts(partner_ids, company) + [
            batch.Part("service", tuple(SERVICE_COLUMNS), rates)
        ]

    @api.model
    def _service_query(self, partner_ids, company):
        """partner_id then the values of SERVICE_COLUMNS, one row per customer
        of ``partner_ids``: the orders due in the service window."""
        _tz, as_of = self._as_of(company)
        return customer_service_queries.customer_rates(
            partner_ids,
            company.id,
            start=as_of - timedelta(days=company.service_window_days),
            as_of=as_of,
            default_threshold=company.service_risk_otif_threshold,
        )

    @api.model
    def _write_service_rates(self, partner_ids, company):
        """The service rates of these customers alone (their policy changed)."""
        self.env["crm.order.service"].flush_model()
        self.flush_model()
        self._update_rows(
            company,
            SERVICE_COLUMNS,
            self._service_query(partner_ids, company),
            customer_service_queries.rate_values(),
        )

    @api.model
    def _write_company_overrides(self, company, partner_ids=None):
        res = super()._write_company_overrides(company, partner_ids)
        self._write_service_reason(company, partner_ids)
        return res

    @api.model
    def _write_service_reason(self, company, partner_ids=None):
        """The service failures decide the risk reason when the rhythm does not."""
        lang = company.partner_id.lang or "en_US"
        template = self.with_context(lang=lang).env._(
            "OTIF %(otif)s%% over the last %(days)s days "
            "(%(late)s of %(count)s orders late or overdue)"
        )
        template = self._pg_format(template, ["otif", "days", "late", "count"])
        self.env.cr.execute(
            customer_service_queries.service_reason_update(
                company.id, template, company.service_window_days, partner_ids
            )
        )
        self.invalidate_model(["churn_risk_reason"])
