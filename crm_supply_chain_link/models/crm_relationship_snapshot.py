# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_relationship.const import MONEY_GROUPS


class CrmRelationshipSnapshot(models.Model):
    """Service levels and profitability at each month end
    (../shared/METRICS.md, section 8), from the same computation as of the
    day."""

    _inherit = "crm.relationship.snapshot"

    service_order_count = fields.Integer(
        string="Orders Measured",
        readonly=True,
        aggregator="sum",
        help="Orders due in the service window ending on the month end.",
    )
    service_otif_rate = fields.Float(
        string="OTIF %",
        readonly=True,
        aggregator="sum",
        help="Share of the orders due in the service window ending on the month "
        "end delivered on time and in full; an order not yet delivered then "
        "counts as a miss. In groups: the OTIF of all their orders.",
    )
    gross_margin = fields.Float(
        readonly=True,
        aggregator="sum",
        groups=MONEY_GROUPS,
        help="Margin of the RFM window ending on the month end.",
    )
    cost_to_serve = fields.Float(
        readonly=True,
        aggregator="sum",
        groups=MONEY_GROUPS,
        help="Cost to serve of the RFM window ending on the month end "
        "(the cost drivers of today).",
    )
    net_contribution = fields.Float(
        readonly=True,
        aggregator="sum",
        groups=MONEY_GROUPS,
        help="Gross margin less cost to serve, over the RFM window ending on "
        "the month end.",
    )

    @api.model
    def _snapshot_columns(self):
        return super()._snapshot_columns() + [
            "service_order_count",
            "service_otif_rate",
            "gross_margin",
            "cost_to_serve",
            "net_contribution",
        ]

    @api.model
    def _read_group_select(self, aggregate_spec, query):
        """OTIF of a group: OTIF orders over orders measured (a ratio of
        sums), not a sum of rates."""
        if aggregate_spec == "service_otif_rate:sum":
            rate = SQL.identifier(self._table, "service_otif_rate")
            count = SQL.identifier(self._table, "service_order_count")
            return SQL(
                "round((sum(%s * %s) / NULLIF(sum(%s), 0))::numeric, 2)",
                rate,
                count,
                count,
            )
        return super()._read_group_select(aggregate_spec, query)
