# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import ServiceCommon

NEEDED = ("mrp", "sale_mrp", "stock_dropshipping")


@tagged("post_install", "-at_install")
class TestRealFlows(ServiceCommon):
    """Kits, dropship, pick-pack-ship and a company east of UTC, hand-computed.

    Orders are confirmed on 2026-03-02 10:00 UTC and promised for 2026-03-05
    10:00 UTC; no late or quantity tolerance. The test database of
    ``make test`` has ``mrp``, ``sale_mrp`` and ``stock_dropshipping``
    installed: without them these tests fail (they never skip).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        installed = set(
            cls.env["ir.module.module"]
            .search([("name", "in", NEEDED), ("state", "=", "installed")])
            .mapped("name")
        )
        missing = sorted(set(NEEDED) - installed)
        assert not missing, (
            f"{', '.join(missing)} not installed in the test database: run the "
            "tests through `make test`, whose test database has them"
        )
        cls.company.late_tolerance_days = 0
        cls.company.qty_tolerance_percent = 0
        Product = cls.env["product.product"]
        cls.part_a = Product.create(
            {"name": "Kit part A", "type": "consu", "is_storable": True}
        )
        cls.part_b = Product.create(
            {"name": "Kit part B", "type": "consu", "is_storable": True}
        )
        for part in (cls.part_a, cls.part_b):
            cls.env["stock.quant"]._update_available_quantity(
                part, cls.warehouse.lot_stock_id, 1000
            )
        cls.kit = Product.create({"name": "Kit", "type": "consu"})
        # one kit = 2 A + 1 B
        cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.kit.product_tmpl_id.id,
                "product_qty": 1,
                "type": "phantom",
                "bom_line_ids": [
                    Command.create({"product_id": cls.part_a.id, "product_qty": 2}),
                    Command.create({"product_id": cls.part_b.id, "product_qty": 1}),
                ],
            }
        )

    def _deliver_moves(self, picking, quantities, day, backorder=True):
        """Deliver ``quantities`` ({product: qty}) of the picking on ``day``."""
        with freeze_time(f"{day} 15:00:00"):
            for move in picking.move_ids:
                move.quantity = quantities.get(move.product_id, 0)
                move.picked = True
            picking.with_context(cancel_backorder=not backorder)._action_done()
            self._drain()

    def _customer_rates(self, day):
        with freeze_time(f"{day} 12:00:00"):
            self.env["crm.relationship.metrics"]._refresh(
                self.customer.ids, self.company
            )
        return self.customer.with_company(self.company)

    # ------------------------------------------------------------------
    # Kits (phantom bills of materials)
    # ------------------------------------------------------------------
    def test_kit_delivered_in_full_before_promise(self):
        order = self._order(qty=3, product=self.kit)
        # the delivery moves the components: 6 A and 3 B
        self.assertEqual(
            sorted(order.picking_ids.move_ids.mapped("product_uom_qty")), [3.0, 6.0]
        )
        self._deliver_moves(
            order.picking_ids, {self.part_a: 6, self.part_b: 3}, "2026-03-04"
        )
        self.assertEqual(order.order_line.qty_delivered, 3.0, "as sale_mrp counts")
        self.assertEqual(order.service_level_state, "on_time")
        self.assertTrue(order.is_on_time)
        self.assertTrue(order.is_in_full)
        self.assertTrue(order.is_otif)
        self.assertAlmostEqual(order.fill_rate, 100.0)
        self.assertEqual(order.delay_days, -1)
        self.assertEqual(order.service_line_ids.delivered_qty, 3.0)
        partner = self._customer_rates("2026-03-10")
        self.assertEqual(partner.service_order_count, 1)
        self.assertAlmostEqual(partner.service_otif_rate, 100.0)
        self.assertAlmostEqual(partner.service_fill_rate, 100.0)

    def test_kit_short_with_backorder_cancelled(self):
        order = self._order(qty=3, product=self.kit)
        # 4 A and 3 B make 2 whole kits (A is the scarce part)
        self._deliver_moves(
            order.picking_ids,
            {self.part_a: 4, self.part_b: 3},
            "2026-03-04",
            backorder=False,
        )
        self.assertEqual(order.order_line.qty_delivered, 2.0, "as sale_mrp counts")
        self.assertEqual(order.service_level_state, "on_time", "closed, not open")
        self.assertFalse(order.is_in_full)
        self.assertFalse(order.is_otif)
        self.assertEqual(order.service_line_ids.delivered_qty, 2.0)
        self.assertTrue(order.service_line_ids.is_closed)
        # 2 of 3 kits by the due day
        self.assertAlmostEqual(order.fill_rate, 66.67)

    def test_kit_in_two_deliveries_and_a_return(self):
        order = self._order(qty=3, product=self.kit)
        self._deliver_moves(
            order.picking_ids, {self.part_a: 6, self.part_b: 1}, "2026-03-04"
        )
        # 6 A but 1 B: one whole kit; the order stays open
        self.assertEqual(order.service_line_ids.delivered_qty, 1.0)
        self.assertEqual(order.service_level_state, "open")
        backorder = order.picking_ids.filtered(lambda p: p.state != "done")
        self._deliver_moves(backorder, {self.part_b: 2}, "2026-03-06")
        self.assertEqual(order.service_level_state, "late")
        self.assertTrue(order.is_in_full)
        # 1 kit of 3 by the due day
        self.assertAlmostEqual(order.fill_rate, 33.33)
        self.assertEqual(str(order.delivered_date), "2026-03-06")
        # one A back: 5 A and 3 B make 2 kits, so one kit is returned
        first = order.picking_ids.filtered(lambda p: p.backorder_ids)
        with freeze_time("2026-03-07 15:00:00"):
            wizard = (
                self.env["stock.return.picking"]
                .with_context(active_id=first.id, active_model="stock.picking")
                .create({})
            )
            for line in wizard.product_return_moves:
                line.quantity = 1 if line.product_id == self.part_a else 0
            ret = self.env["stock.picking"].browse(
                wizard.action_create_returns()["res_id"]
            )
            ret.move_ids.quantity = 1
            ret.move_ids.picked = True
            ret._action_done()
            self._drain()
        self.assertEqual(order.order_line.qty_delivered, 2.0, "as sale_mrp counts")
        self.assertEqual(order.service_line_ids.returned_qty, 1.0)
        self.assertAlmostEqual(order.return_rate, 33.33)
        self.assertFalse(order.is_perfect_order)

    # ------------------------------------------------------------------
    # Dropship and multi-step routes
    # ------------------------------------------------------------------
    def test_dropship_counts_when_done(self):
        vendor = self.env["res.partner"].create({"name": "SCL Vendor"})
        product = self.env["product.product"].create(
            {
                "name": "Dropshipped",
                "type": "consu",
                "is_storable": True,
                "seller_ids": [Command.create({"partner_id": vendor.id})],
                "route_ids": [
                    Command.link(
                        self.env.ref("stock_dropshipping.route_drop_shipping").id
                    )
                ],
            }
        )
        order = self._order(qty=5, product=product)
        purchase = self.env["purchase.order"].search(
            [("group_id", "=", order.procurement_group_id.id)]
        )
        self.assertEqual(len(purchase), 1)
        with freeze_time("2026-03-03 10:00:00"):
            purchase.button_confirm()
            self._drain()
        dropship = order.order_line.move_ids.picking_id
        self.assertEqual(dropship.location_id.usage, "supplier")
        self.assertEqual(order.service_level_state, "open", "not done yet")
        self.assertEqual(order.service_line_ids.delivered_qty, 0.0)
        self._deliver_moves(dropship, {product: 5}, "2026-03-05")
        self.assertEqual(order.service_level_state, "on_time")
        self.assertTrue(order.is_otif)
        self.assertAlmostEqual(order.fill_rate, 100.0)
        self.assertEqual(order.cycle_time_days, 3)

    def test_pick_pack_ship_counts_the_last_step(self):
        self.warehouse.delivery_steps = "pick_pack_ship"
        order = self._order(qty=4)
        out_type = self.warehouse.out_type_id
        for step, day in (
            (self.warehouse.pick_type_id, "2026-03-03"),
            (self.warehouse.pack_type_id, "2026-03-04"),
        ):
            picking = order.picking_ids.filtered(
                lambda p, t=step: p.picking_type_id == t and p.state != "done"
            )
            self.assertEqual(len(picking), 1, step.name)
            self._deliver_moves(picking, {self.product: 4}, day)
            self.assertEqual(order.service_line_ids.delivered_qty, 0.0, step.name)
        with freeze_time("2026-03-05 12:00:00"):
            self.Service._recompute_orders(order.ids)
        self.assertEqual(order.service_level_state, "open", "picked, not shipped")
        ship = order.picking_ids.filtered(lambda p: p.picking_type_id == out_type)
        self.assertEqual(len(order.picking_ids), 3)
        self._deliver_moves(ship, {self.product: 4}, "2026-03-06")
        self.assertEqual(order.service_level_state, "late")
        self.assertEqual(str(order.delivered_date), "2026-03-06")
        self.assertEqual(order.delay_days, 1)
        self.assertAlmostEqual(order.fill_rate, 0.0)

    # ------------------------------------------------------------------
    # A company east of UTC
    # ------------------------------------------------------------------
    def test_company_days_in_its_timezone(self):
        self.company.partner_id.tz = "Asia/Shanghai"  # UTC+8
        # promised 2026-03-05 15:00 UTC = 23:00 in Shanghai: due the 5th
        order = self._order(commitment="2026-03-05 15:00:00")
        # delivered 2026-03-05 17:00 UTC = the 6th, 01:00 in Shanghai: late
        with freeze_time("2026-03-05 17:00:00"):
            order.picking_ids.move_ids.quantity = 10
            order.picking_ids.move_ids.picked = True
            order.picking_ids._action_done()
            self._drain()
        self.assertEqual(str(order.service_id.due_date), "2026-03-05")
        self.assertEqual(str(order.delivered_date), "2026-03-06")
        self.assertEqual(order.service_level_state, "late")
        self.assertEqual(order.delay_days, 1)
        # ordered 2026-03-02 10:00 UTC = 18:00 on the 2nd in Shanghai
        self.assertEqual(order.cycle_time_days, 4)
        self.assertFalse(order.is_otif)
        # the same order read in UTC would be on time: the company's days count
        self.company.partner_id.tz = "UTC"
        self.Service._recompute_orders(order.ids)
        self.assertEqual(order.service_level_state, "on_time")
        self.assertEqual(order.delay_days, 0)
