# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..const import WARNING_GROUPS

RELATIONSHIP_ORDER_FIELDS = {"state", "partner_id", "date_order", "company_id"}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _relationship_keys(self):
        # sudo: bookkeeping on a core flow (a line written by a stock or
        # accounting flow, a contact of another company); the keys are only
        # queued, never shown to the user
        return {
            (order.partner_id.commercial_partner_id.id, order.company_id.id)
            for order in self.sudo()
            if order.state == "sale"
        }

    def _relationship_enqueue(self, keys):
        # sudo: the queue is the engine's; a salesperson confirming an order only
        # records that its customer changed
        self.env["crm.relationship.queue"].sudo()._enqueue(keys)

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # a new quotation brings its customer into scope (as a prospect);
        # sudo: the keys are only queued (see _relationship_keys)
        orders._relationship_enqueue(
            {
                (o.partner_id.commercial_partner_id.id, o.company_id.id)
                for o in orders.sudo()
            }
        )
        return orders

    def write(self, vals):
        if not RELATIONSHIP_ORDER_FIELDS & set(vals):
            return super().write(vals)
        before = self._relationship_keys()
        res = super().write(vals)
        self._relationship_enqueue(before | self._relationship_keys())
        return res

    # ---- consistent quotes and open requests (../shared/METRICS.md, 4) ----
    price_conflict_warning = fields.Text(
        compute="_compute_price_conflict_warning",
        help="Lines quoted at a price that differs beyond the tolerance from "
        "another salesperson's open quotation or recent order of the same "
        "customer and product. Empty when there is no conflict.",
        groups=WARNING_GROUPS,
    )
    request_warning = fields.Char(
        compute="_compute_request_warning",
        help="The customer has an open complaint or an overdue request.",
        groups=WARNING_GROUPS,
    )

    @api.depends("order_line.price_unit", "order_line.discount", "partner_id", "state")
    def _compute_price_conflict_warning(self):
        quotes = self.filtered(lambda o: o._origin.id and o.state in ("draft", "sent"))
        by_order = {}
        if quotes:
            self.env.flush_all()
            # sudo: the other salesperson's document is named on purpose (the
            # point is to see it); only its name, rep, price and date are shown
            Conflict = self.env["crm.price.conflict"].sudo()
            rows = self.env.execute_query(Conflict._conflict_query(quotes._origin.ids))
            columns = [c.name for c in self.env.cr.description]
            for values in rows:
                row = dict(zip(columns, values, strict=True))
                by_order.setdefault(row["order_id"], []).append(row)
        for order in self:
            lines = []
            for row in by_order.get(order._origin.id, []):
                product = self.env["product.product"].browse(row["product_id"])
                # sudo: the other salesperson's order is named, not opened
                other = self.env["sale.order"].sudo().browse(row["other_order_id"])
                currency = self.env["res.currency"].browse(row["currency_id"])
                other_currency = self.env["res.currency"].browse(
                    row["other_currency_id"]
                )
                lines.append(
                    _(
                        "%(product)s: %(price)s here, %(other_price)s on %(other)s "
                        "by %(user)s (%(date)s), %(diff)s %% apart.",
                        product=product.display_name,
                        price=currency.format(row["price_unit"]),
                        other_price=other_currency.format(row["other_price_unit"]),
                        other=other.name,
                        user=other.user_id.name,
                        date=row["other_date"],
                        diff=row["difference_percent"],
                    )
                )
            order.price_conflict_warning = "\n".join(lines) or False

    @api.depends("partner_id", "state", "company_id")
    def _compute_request_warning(self):
        self.env["crm.customer.request"].flush_model()
        open_states = ("new", "in_progress", "waiting")
        quotes = self.filtered(lambda o: o.partner_id and o.state in ("draft", "sent"))
        # sudo: the customer's open requests, whoever handles them
        Request = self.env["crm.customer.request"].sudo()
        requests = Request.search(
            [
                ("partner_id", "in", quotes.partner_id.commercial_partner_id.ids),
                ("state", "in", open_states),
                "|",
                ("request_type", "=", "complaint"),
                ("is_overdue", "=", True),
            ],
            order="request_date",
        )
        for order in self:
            order.request_warning = False
            if order not in quotes:
                continue
            mine = requests.filtered(
                lambda r, o=order: r.partner_id == o.partner_id.commercial_partner_id
                and r.company_id == o.company_id
            )
            complaint = mine.filtered(lambda r: r.request_type == "complaint")[:1]
            if complaint:
                order.request_warning = _(
                    "Open complaint since %(date)s (%(name)s): solve it before "
                    "selling more.",
                    date=fields.Date.to_string(complaint.request_date.date()),
                    name=complaint.name,
                )
            elif mine:
                order.request_warning = _(
                    "Overdue request since %(date)s (%(name)s): answer it before "
                    "selling more.",
                    date=fields.Date.to_string(mine[0].request_date.date()),
                    name=mine[0].name,
                )

    def action_confirm(self):
        blocked = self.filtered(
            lambda o: o.company_id.price_conflict_block and o.price_conflict_warning
        )
        if blocked:
            raise UserError(
                _(
                    "%(order)s quotes prices that conflict with another "
                    "salesperson's:\n%(details)s\nAlign the prices or ask a manager "
                    "to allow it in the settings.",
                    order=blocked[0].name,
                    details=blocked[0].price_conflict_warning,
                )
            )
        return super().action_confirm()
