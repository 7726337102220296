# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import pytz

from odoo import _, api, fields, models

from ..const import SERVICE_GROUPS

_SERVICE = "service_id."


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # the row points to its order: confirming an order (or installing on a
    # database of a million orders) never writes the order rows for the link
    service_ids = fields.One2many(
        "crm.order.service",
        "order_id",
        string="Service Level Rows",
        readonly=True,
        groups=SERVICE_GROUPS,
    )
    service_id = fields.Many2one(
        "crm.order.service",
        string="Service Level",
        compute="_compute_service_id",
        search="_search_service_id",
        compute_sudo=True,
        groups=SERVICE_GROUPS,
    )
    first_promised_date = fields.Datetime(
        related=_SERVICE + "first_promised_date",
        help="The promise frozen at the first confirmation; later changes of the "
        "commitment date do not move it.",
        groups=SERVICE_GROUPS,
    )
    promise_change_count = fields.Integer(
        related=_SERVICE + "promise_change_count", groups=SERVICE_GROUPS
    )
    delivered_date = fields.Date(
        related=_SERVICE + "delivered_date", groups=SERVICE_GROUPS
    )
    is_in_full = fields.Boolean(related=_SERVICE + "is_in_full", groups=SERVICE_GROUPS)
    is_on_time = fields.Boolean(related=_SERVICE + "is_on_time", groups=SERVICE_GROUPS)
    is_otif = fields.Boolean(related=_SERVICE + "is_otif", groups=SERVICE_GROUPS)
    fill_rate = fields.Float(related=_SERVICE + "fill_rate", groups=SERVICE_GROUPS)
    cycle_time_days = fields.Integer(
        related=_SERVICE + "cycle_time_days", groups=SERVICE_GROUPS
    )
    delay_days = fields.Integer(related=_SERVICE + "delay_days", groups=SERVICE_GROUPS)
    return_rate = fields.Float(related=_SERVICE + "return_rate", groups=SERVICE_GROUPS)
    is_perfect_order = fields.Boolean(
        related=_SERVICE + "is_perfect_order", groups=SERVICE_GROUPS
    )
    service_level_state = fields.Selection(
        related=_SERVICE + "service_level_state", groups=SERVICE_GROUPS
    )
    service_line_ids = fields.One2many(
        related=_SERVICE + "line_ids", string="Fulfilment", groups=SERVICE_GROUPS
    )
    return_count = fields.Integer(
        compute="_compute_downstream_counts",
        groups=SERVICE_GROUPS,
        help="Return transfers of the order's deliveries.",
    )
    backorder_count = fields.Integer(
        compute="_compute_downstream_counts",
        groups=SERVICE_GROUPS,
        help="Deliveries created for what a first delivery left to ship.",
    )

    @api.depends("service_ids")
    def _compute_service_id(self):
        for order in self:
            order.service_id = order.service_ids[:1]

    def _search_service_id(self, operator, value):
        return [("service_ids", operator, value)]

    @api.depends("picking_ids")
    def _compute_downstream_counts(self):
        for order in self:
            pickings = order.picking_ids
            order.return_count = len(pickings.filtered("return_id"))
            order.backorder_count = len(pickings.filtered("backorder_id"))

    # ---- ORM ----
    def write(self, vals):
        if "commitment_date" not in vals:
            return super().write(vals)
        before = {order: order.commitment_date for order in self}
        res = super().write(vals)
        for order, old in before.items():
            if not order.service_id or order._promise_day(old) == order._promise_day(
                order.commitment_date
            ):
                continue
            # sudo: the promise counter lives on the engine's table
            order.service_id.sudo().promise_change_count += 1
            order.message_post(
                body=_(
                    "Promise moved from %(old)s to %(new)s (first promise: %(first)s).",
                    old=old or _("none"),
                    new=order.commitment_date or _("none"),
                    first=order.first_promised_date,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return res

    def _promise_day(self, value):
        if not value:
            return False
        tz = pytz.timezone(self.company_id.partner_id.tz or "UTC")
        return pytz.utc.localize(value).astimezone(tz).date()

    # ---- business ----
    def _action_confirm(self):
        res = super()._action_confirm()
        # freeze the promise of first confirmations (the new rows are queued
        # with it); re-confirmations keep their row and are queued here
        # sudo: bookkeeping on the engine's tables; the rows are not shown
        new = self.env["crm.order.service"].sudo()._ensure_rows(self.sudo())
        (self - new)._service_changed()
        self.env["crm.relationship.queue"]._wake()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self._service_changed()
        return res

    def _service_changed(self):
        """Queue these orders: the scheduled action computes their figures,
        then their customers', outside the user's transaction."""
        # sudo: the queue is the engine's; the user only records a change
        self.env["crm.order.service.queue"].sudo()._enqueue(self.ids)

    # ---- actions ----
    def action_view_returns(self):
        return self._action_view_pickings(self.picking_ids.filtered("return_id"))

    def action_view_backorders(self):
        return self._action_view_pickings(self.picking_ids.filtered("backorder_id"))

    def _action_view_pickings(self, pickings):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "stock.action_picking_tree_all"
        )
        action["domain"] = [("id", "in", pickings.ids)]
        action["context"] = {"create": False}
        return action
