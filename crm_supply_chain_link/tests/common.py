# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command

from odoo.addons.base.tests.common import BaseCommon


class ServiceCommon(BaseCommon):
    """Orders are confirmed on 2026-03-02 and promised for 2026-03-05 (UTC)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.partner_id.tz = "UTC"
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.product = cls.env["product.product"].create(
            {"name": "SCL Widget", "type": "consu", "is_storable": True}
        )
        cls.service = cls.env["product.product"].create(
            {"name": "SCL Service", "type": "service"}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 1000
        )
        cls.customer = cls.env["res.partner"].create({"name": "SCL Customer"})
        cls.Service = cls.env["crm.order.service"]

    @classmethod
    def _order(
        cls,
        qty=10,
        product=None,
        commitment="2026-03-05 10:00:00",
        uom=None,
        partner=None,
    ):
        line = {"product_id": (product or cls.product).id, "product_uom_qty": qty}
        if uom:
            line["product_uom"] = uom.id
        with freeze_time("2026-03-02 10:00:00"):
            order = cls.env["sale.order"].create(
                {
                    "partner_id": (partner or cls.customer).id,
                    "commitment_date": commitment,
                    "order_line": [Command.create(line)],
                }
            )
            order.action_confirm()
            cls._drain()
        return order

    @classmethod
    def _drain(cls):
        """Run the orders' part of the queue's scheduled action, as the cron
        runner would right after the user's transaction."""
        cls.env["crm.order.service.queue"]._process()

    @classmethod
    def _deliver(cls, picking, qty, day, backorder=True):
        with freeze_time(f"{day} 15:00:00"):
            for move in picking.move_ids:
                move.quantity = qty
                move.picked = True
            picking.with_context(cancel_backorder=not backorder)._action_done()
            cls._drain()
        return picking.backorder_ids

    @classmethod
    def _return(cls, picking, qty, day):
        with freeze_time(f"{day} 15:00:00"):
            wizard = (
                cls.env["stock.return.picking"]
                .with_context(active_id=picking.id, active_model="stock.picking")
                .create({})
            )
            wizard.product_return_moves.quantity = qty
            action = wizard.action_create_returns()
            ret = cls.env["stock.picking"].browse(action["res_id"])
            ret.move_ids.quantity = qty
            ret.move_ids.picked = True
            ret._action_done()
            cls._drain()
        return ret
