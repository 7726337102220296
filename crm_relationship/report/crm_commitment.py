# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.tools import SQL

COMMITMENT_KINDS = [
    ("quote", "Quoted price"),
    ("promise", "Promised delivery"),
    ("activity", "Open activity"),
    ("request", "Open request"),
]


class CrmCommitment(models.Model):
    """Every open promise to a customer, across salespeople (read only).

    Quoted prices of open quotations, promised dates of open orders, open
    activities on the customer and its orders, and open requests; one row each.
    """

    _name = "crm.commitment"
    _description = "Customer Commitment"
    _auto = False
    _order = "date_due, id"
    _rec_name = "name"

    kind = fields.Selection(COMMITMENT_KINDS, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Promised By", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    name = fields.Char(string="Document", readonly=True)
    description = fields.Char(readonly=True)
    date_from = fields.Date(
        string="Since",
        readonly=True,
        help="Quotation date, first promised day, or creation of the activity or "
        "request.",
    )
    date_due = fields.Date(
        string="Due",
        readonly=True,
        help="Quotation validity, current promised day, activity or response due.",
    )
    product_id = fields.Many2one("product.product", readonly=True)
    quantity = fields.Float(readonly=True)
    price_unit = fields.Float(string="Unit Price", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    request_id = fields.Many2one("crm.customer.request", readonly=True)
    activity_id = fields.Many2one("mail.activity", readonly=True)

    @property
    def _table_query(self):
        return SQL(" UNION ALL ").join(
            [
                self._quote_query(),
                self._promise_query(),
                self._activity_query(),
                self._request_query(),
            ]
        )

    def _quote_query(self):
        return SQL(
            """
            SELECT l.id * 4 AS id, 'quote' AS kind,
                   p.commercial_partner_id AS partner_id, so.user_id, so.company_id,
                   so.name, l.name AS description,
                   (so.date_order AT TIME ZONE 'UTC')::date AS date_from,
                   so.validity_date AS date_due,
                   l.product_id, l.product_uom_qty AS quantity,
                   l.price_unit * (1 - COALESCE(l.discount, 0) / 100.0) AS price_unit,
                   so.currency_id, so.id AS order_id, NULL::int AS request_id,
                   NULL::int AS activity_id
              FROM sale_order_line l
              JOIN sale_order so ON so.id = l.order_id
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state IN ('draft', 'sent') AND l.display_type IS NULL
            """
        )

    def _promise_query(self):
        """Open orders and their promised day (no deliveries known here)."""
        return SQL(
            """
            SELECT so.id * 4 + 1, 'promise', p.commercial_partner_id, so.user_id,
                   so.company_id, so.name, NULL,
                   (so.commitment_date AT TIME ZONE 'UTC')::date,
                   (so.commitment_date AT TIME ZONE 'UTC')::date,
                   NULL::int, NULL::float, NULL::float, so.currency_id, so.id,
                   NULL::int, NULL::int
              FROM sale_order so
              JOIN res_partner p ON p.id = so.partner_id
             WHERE so.state = 'sale' AND so.invoice_status != 'invoiced'
            """
        )

    def _activity_query(self):
        return SQL(
            """
            SELECT a.id * 4 + 2, 'activity', p.commercial_partner_id, a.user_id,
                   COALESCE(so.company_id, p.company_id),
                   COALESCE(so.name, p.name),
                   COALESCE(a.summary, t.name ->> 'en_US'),
                   (a.create_date AT TIME ZONE 'UTC')::date, a.date_deadline,
                   NULL::int, NULL::float, NULL::float, NULL::int, so.id,
                   NULL::int, a.id
              FROM mail_activity a
              LEFT JOIN mail_activity_type t ON t.id = a.activity_type_id
              LEFT JOIN sale_order so
                ON a.res_model = 'sale.order' AND so.id = a.res_id
              JOIN res_partner p
                ON p.id = CASE WHEN a.res_model = 'res.partner' THEN a.res_id
                               ELSE so.partner_id END
             WHERE a.res_model IN ('res.partner', 'sale.order') AND a.active
            """
        )

    def _request_query(self):
        return SQL(
            """
            SELECT r.id * 4 + 3, 'request', r.partner_id, r.user_id, r.company_id,
                   r.name, r.request_type,
                   (r.request_date AT TIME ZONE 'UTC')::date,
                   (r.date_deadline AT TIME ZONE 'UTC')::date,
                   NULL::int, NULL::float, NULL::float, NULL::int, r.sale_order_id,
                   r.id, NULL::int
              FROM crm_customer_request r
             WHERE r.state IN ('new', 'in_progress', 'waiting')
            """
        )

    def action_open_document(self):
        self.ensure_one()
        record = self.request_id or self.order_id
        if self.kind == "activity" and not self.order_id:
            record = self.partner_id
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
