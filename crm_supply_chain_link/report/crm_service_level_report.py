# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.crm_relationship.const import MONEY_GROUPS

from ..models.crm_order_service import SERVICE_STATES

# money measures: MONEY_GROUPS; logistics staff read the service measures only
# (../shared/METRICS.md, 9)

# rate field -> (numerator column, denominator column), aggregated as
# sum(numerator) / sum(denominator) * 100: a ratio of sums, never an average
# of percentages
RATIOS = {
    "otif_rate": ("otif_weight", "order_weight"),
    "on_time_rate": ("on_time_weight", "order_weight"),
    "in_full_rate": ("in_full_weight", "order_weight"),
    "perfect_order_rate": ("perfect_weight", "order_weight"),
    "fill_rate": ("on_time_qty", "ordered_qty"),
    "return_rate": ("returned_qty", "delivered_qty"),
    "cycle_time_days": ("cycle_weight", "closed_weight"),
    "margin_percent": ("margin", "revenue"),
}


def weight_columns(weight):
    """The weight columns of a service report row (``s``: its order's service
    row) and its rate columns, empty, aggregated by ``_read_group_select``:
    ``weight`` is the row's share of its order (1 per order row, 1 / number
    of lines per line row), so that sums over any grouping count orders."""
    return SQL(
        """
        %(w)s AS order_weight,
        CASE WHEN s.is_otif THEN %(w)s ELSE 0.0::float END AS otif_weight,
        CASE WHEN s.is_on_time THEN %(w)s ELSE 0.0::float END AS on_time_weight,
        CASE WHEN s.is_in_full THEN %(w)s ELSE 0.0::float END AS in_full_weight,
        CASE WHEN s.is_perfect_order THEN %(w)s ELSE 0.0::float END
            AS perfect_weight,
        CASE WHEN s.service_level_state IN ('on_time', 'late')
             THEN %(w)s ELSE 0.0::float END AS closed_weight,
        CASE WHEN s.service_level_state IN ('on_time', 'late')
             THEN %(w)s * s.cycle_time_days ELSE 0.0::float END AS cycle_weight,
        NULL::float AS otif_rate, NULL::float AS on_time_rate,
        NULL::float AS in_full_rate, NULL::float AS perfect_order_rate,
        NULL::float AS fill_rate, NULL::float AS return_rate,
        NULL::float AS cycle_time_days
        """,
        w=weight,
    )


class CrmServiceReportMixin(models.AbstractModel):
    """The fields and the ratio aggregation shared by the service-level
    reports at order grain (``crm.service.order.report``, the pivots and
    graphs) and at line grain (``crm.service.level.report``, by product).

    Order-level flags are weights that sum to the number of orders over any
    grouping (1 per order row; 1 / number of lines per line row); rates are
    ratios of the sums (``RATIOS``), never averages of percentages.
    """

    _name = "crm.service.report.mixin"
    _description = "Service Level Report Fields"

    order_id = fields.Many2one("sale.order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    first_promised_date = fields.Datetime(string="Promised", readonly=True)
    due_date = fields.Date(readonly=True)
    closing_date = fields.Date(string="Closed On", readonly=True)
    service_level_state = fields.Selection(SERVICE_STATES, readonly=True)
    ordered_qty = fields.Float(readonly=True)
    delivered_qty = fields.Float(readonly=True)
    on_time_qty = fields.Float(readonly=True)
    returned_qty = fields.Float(readonly=True)
    order_weight = fields.Float(string="Orders", readonly=True)
    otif_weight = fields.Float(string="OTIF Orders", readonly=True)
    on_time_weight = fields.Float(string="On-Time Orders", readonly=True)
    in_full_weight = fields.Float(string="In-Full Orders", readonly=True)
    perfect_weight = fields.Float(string="Perfect Orders", readonly=True)
    closed_weight = fields.Float(string="Closed Orders", readonly=True)
    cycle_weight = fields.Float(string="Cycle Days x Orders", readonly=True)
    otif_rate = fields.Float(string="OTIF %", readonly=True)
    on_time_rate = fields.Float(string="On Time %", readonly=True)
    in_full_rate = fields.Float(string="In Full %", readonly=True)
    perfect_order_rate = fields.Float(string="Perfect Order %", readonly=True)
    fill_rate = fields.Float(string="Fill Rate %", readonly=True)
    return_rate = fields.Float(string="Return Rate %", readonly=True)
    cycle_time_days = fields.Float(string="Cycle Time (days)", readonly=True)
    revenue = fields.Float(
        string="Revenue",
        readonly=True,
        help="Untaxed amount of the measured lines, in company currency.",
        groups=MONEY_GROUPS,
    )
    margin = fields.Float(
        readonly=True,
        help="Margin of the measured lines in company currency (the Sales "
        "Margin module's line margin).",
        groups=MONEY_GROUPS,
    )
    margin_percent = fields.Float(string="Margin %", readonly=True, groups=MONEY_GROUPS)

    def _read_group_select(self, aggregate_spec, query):
        fname, __, func = aggregate_spec.partition(":")
        if fname in RATIOS and func in ("sum", "avg"):
            num, den = RATIOS[fname]
            factor = 1 if fname == "cycle_time_days" else 100
            return SQL(
                "ROUND((SUM(%s) / NULLIF(SUM(%s), 0) * %s)::numeric, 2)::float",
                self._field_to_sql(self._table, num, query),
                self._field_to_sql(self._table, den, query),
                factor,
            )
        return super()._read_group_select(aggregate_spec, query)


class CrmServiceOrderReport(models.Model):
    """Service level at order grain: one row per measured order, read from
    the order's service row that the engine keeps (its quantities, flags,
    revenue and margin are the sums over its measured lines). The pivots
    and graphs by customer, week or month read this one; the line grain
    (``crm.service.level.report``) is kept for products and categories."""

    _name = "crm.service.order.report"
    _inherit = ["crm.service.report.mixin"]
    _description = "Service Level Analysis by Order"
    _auto = False
    _rec_name = "order_id"
    _order = "due_date desc"

    _depends = {
        "crm.order.service": [
            "order_id",
            "company_id",
            "partner_id",
            "is_otif",
            "is_on_time",
            "is_in_full",
            "is_perfect_order",
            "service_level_state",
            "cycle_time_days",
            "due_date",
            "delivered_date",
            "first_promised_date",
            "ordered_qty",
            "delivered_qty",
            "on_time_qty",
            "returned_qty",
            "revenue",
            "margin",
        ],
        "sale.order": ["user_id", "team_id", "warehouse_id"],
        "res.partner": ["country_id"],
    }

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT s.id, s.order_id, s.company_id, s.partner_id,
                   so.user_id, so.team_id, so.warehouse_id, p.country_id,
                   s.first_promised_date, s.due_date,
                   s.delivered_date AS closing_date, s.service_level_state,
                   s.ordered_qty, s.delivered_qty, s.on_time_qty, s.returned_qty,
                   %(weights)s,
                   s.revenue, s.margin, NULL::float AS margin_percent
              FROM crm_order_service s
              -- left joins on primary keys (the rows always exist): PostgreSQL
              -- drops the ones a grouping does not read
              LEFT JOIN sale_order so ON so.id = s.order_id
              LEFT JOIN res_partner p ON p.id = s.partner_id
             WHERE s.service_level_state != 'na'
            """,
            # float constants: no conversion per row (200,000 rows per pivot
            # at M)
            weights=weight_columns(SQL("1.0::float")),
        )


class CrmServiceLevelReport(models.Model):
    """Service level at order-line grain, for the analysis by product and
    category (and the drill-down of an order's lines).

    Order-level flags are spread over the order's measured lines as weights
    (1 / number of lines), so that a sum over any grouping counts orders.
    """

    _name = "crm.service.level.report"
    _inherit = ["crm.service.report.mixin"]
    _description = "Service Level Analysis by Line"
    _auto = False
    _rec_name = "order_id"
    _order = "due_date desc"

    line_id = fields.Many2one("sale.order.line", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)

    _depends = {
        "crm.order.line.service": [
            "line_id",
            "service_id",
            "ordered_qty",
            "delivered_qty",
            "on_time_qty",
            "returned_qty",
            "closing_date",
        ],
        "sale.order.line": ["price_subtotal"],
        "crm.order.service": [
            "order_id",
            "is_otif",
            "is_on_time",
            "is_in_full",
            "is_perfect_order",
            "service_level_state",
            "cycle_time_days",
            "due_date",
            "first_promised_date",
            "line_count",
        ],
    }

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT ls.id, s.order_id, ls.line_id, s.company_id, s.partner_id,
                   so.user_id, so.team_id, so.warehouse_id, p.country_id,
                   l.product_id, pt.categ_id, s.first_promised_date, s.due_date,
                   ls.closing_date, s.service_level_state,
                   ls.ordered_qty, ls.delivered_qty, ls.on_time_qty, ls.returned_qty,
                   %(weights)s,
                   l.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1.0)
                       AS revenue,
                   %(margin)s AS margin,
                   NULL::float AS margin_percent
              FROM crm_order_line_service ls
              JOIN crm_order_service s ON s.id = ls.service_id
              -- left joins on primary keys (the rows always exist): PostgreSQL
              -- drops the ones a grouping does not read
              LEFT JOIN sale_order so ON so.id = s.order_id
              LEFT JOIN sale_order_line l ON l.id = ls.line_id
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN res_partner p ON p.id = s.partner_id
              CROSS JOIN LATERAL (
                  -- float, not numeric: summed over millions of line rows
                  SELECT 1.0::float / NULLIF(s.line_count, 0) AS weight) w
             WHERE s.service_level_state != 'na'
            """,
            margin=SQL("l.margin / COALESCE(NULLIF(so.currency_rate, 0), 1.0)"),
            weights=weight_columns(SQL("w.weight")),
        )
