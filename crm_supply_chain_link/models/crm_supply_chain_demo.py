# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo data only: deliveries and returns of the demo orders, called by
demo/crm_supply_chain_link_demo.xml. No business code calls it."""

from datetime import timedelta

from odoo import api, fields, models


class CrmSupplyChainDemo(models.AbstractModel):
    """Demo data only: no table, no business code calls it."""

    _name = "crm.supply.chain.demo"
    _description = "Supply Chain Link Demo Helpers"

    @api.model
    def _demo_deliver(
        self, order_ids, ratio=1.0, backorder=False, return_ratio=0.0, days_ago=0
    ):
        """Deliver ``ratio`` of each line (demo data only), optionally keep a
        backorder for the rest, and return ``return_ratio`` of it; the moves are
        dated ``days_ago`` days back."""
        orders = self.env["sale.order"].browse(order_ids)
        done_before = orders.picking_ids.filtered(lambda p: p.state == "done")
        for picking in orders.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        ):
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty * ratio
                move.picked = True
            picking.with_context(cancel_backorder=not backorder)._action_done()
            if return_ratio:
                wizard = (
                    self.env["stock.return.picking"]
                    .with_context(active_id=picking.id, active_model="stock.picking")
                    .create({})
                )
                for line in wizard.product_return_moves:
                    line.quantity = line.move_id.quantity * return_ratio
                returned = self.env["stock.picking"].browse(
                    wizard.action_create_returns()["res_id"]
                )
                for move in returned.move_ids:
                    move.quantity = move.product_uom_qty
                    move.picked = True
                returned._action_done()
        if days_ago:
            day = fields.Datetime.now() - timedelta(days=days_ago)
            done = (
                orders.picking_ids.filtered(lambda p: p.state == "done") - done_before
            )
            done.move_ids.write({"date": day})
            done.write({"date_done": day})
            for order in orders:
                order.date_order = min(order.date_order, day - timedelta(days=3))
            orders._service_changed()
        return True
