# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL


class CrmPriceConflict(models.Model):
    """Quotation lines pricing a product for a customer differently from another
    salesperson's open quotation or recent order (read only).

    One row per quotation line: the other document with the largest gap. Prices
    are compared net of discount, per the product's unit and in the company's
    currency; the tolerance and window are company settings.
    """

    _name = "crm.price.conflict"
    _description = "Quotation Price Conflict"
    _auto = False
    _order = "difference_percent desc, id"
    _rec_name = "order_id"

    line_id = fields.Many2one("sale.order.line", readonly=True)
    order_id = fields.Many2one("sale.order", string="Quotation", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    price_unit = fields.Float(readonly=True, help="Net of discount.")
    currency_id = fields.Many2one("res.currency", readonly=True)
    other_line_id = fields.Many2one("sale.order.line", readonly=True)
    other_order_id = fields.Many2one(
        "sale.order", string="Other Document", readonly=True
    )
    other_user_id = fields.Many2one(
        "res.users", string="Other Salesperson", readonly=True
    )
    other_price_unit = fields.Float(string="Other Price", readonly=True)
    other_currency_id = fields.Many2one("res.currency", readonly=True)
    other_date = fields.Date(readonly=True)
    difference_percent = fields.Float(
        string="Difference %",
        readonly=True,
        aggregator="max",
        help="Gap between the two prices, as a share of the other price.",
    )

    @property
    def _table_query(self):
        return self._conflict_query()

    @api.model
    def _conflict_query(self, order_ids=None):
        line = SQL(
            """
            SELECT l.id AS line_id, so.id AS order_id, so.company_id,
                   p.commercial_partner_id AS partner_id, so.user_id, so.state,
                   so.date_order, l.product_id, so.currency_id,
                   l.price_unit * (1 - COALESCE(l.discount, 0) / 100.0) AS net,
                   l.price_unit * (1 - COALESCE(l.discount, 0) / 100.0)
                       * lu.factor / pu.factor
                       / COALESCE(NULLIF(so.currency_rate, 0), 1.0) AS price
              FROM sale_order_line l
              JOIN sale_order so ON so.id = l.order_id
              JOIN res_partner p ON p.id = so.partner_id
              JOIN uom_uom lu ON lu.id = l.product_uom
              JOIN product_product pp ON pp.id = l.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN uom_uom pu ON pu.id = pt.uom_id
             WHERE l.display_type IS NULL AND so.user_id IS NOT NULL
               AND NOT COALESCE(l.is_downpayment, FALSE)
               AND so.state IN ('draft', 'sent', 'sale')
            """
        )
        only = SQL("AND a.order_id = ANY(%s)", list(order_ids)) if order_ids else SQL()
        return SQL(
            """
            SELECT DISTINCT ON (a.line_id)
                   a.line_id AS id, a.line_id, a.order_id, a.partner_id,
                   a.company_id, a.product_id, a.user_id, a.net AS price_unit,
                   a.currency_id, b.line_id AS other_line_id,
                   b.order_id AS other_order_id, b.user_id AS other_user_id,
                   b.net AS other_price_unit, b.currency_id AS other_currency_id,
                   (b.date_order AT TIME ZONE 'UTC')::date AS other_date,
                   round((100 * abs(a.price - b.price) / b.price)::numeric, 2)::float
                       AS difference_percent
              FROM (%(line)s) a
              JOIN (%(line)s) b
                ON b.partner_id = a.partner_id
               AND b.product_id = a.product_id
               AND b.company_id = a.company_id
               AND b.user_id != a.user_id
              JOIN res_company c ON c.id = a.company_id
             WHERE a.state IN ('draft', 'sent')
               %(only)s
               AND b.price > 0
               AND (b.state IN ('draft', 'sent')
                    OR b.date_order >= (now() AT TIME ZONE 'UTC')
                       - make_interval(days => c.price_conflict_days))
               AND abs(a.price - b.price)
                   > COALESCE(c.price_conflict_tolerance_percent, 0) / 100.0 * b.price
             ORDER BY a.line_id, abs(a.price - b.price) / b.price DESC, b.line_id
            """,
            line=line,
            only=only,
        )
