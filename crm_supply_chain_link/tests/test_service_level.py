# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ServiceCommon


class TestServiceLevelData:
    """The data and helpers of the TestServiceLevel tests (a mixin: not a test
    case of its own, so the runner never runs it)."""

    def assertService(self, order, **expected):
        for name, value in expected.items():
            if isinstance(value, float):
                self.assertAlmostEqual(order[name], value, places=2, msg=name)
            else:
                self.assertEqual(order[name], value, name)


@tagged("post_install", "-at_install")
class TestServiceLevel(TestServiceLevelData, ServiceCommon):
    """Hand-computed service levels of ../shared/METRICS.md section 3.

    Orders are confirmed on 2026-03-02 and promised for 2026-03-05 (UTC).
    """

    def test_on_time_in_full(self):
        order = self._order()
        self.assertEqual(order.first_promised_date, datetime(2026, 3, 5, 10, 0))
        self.assertEqual(order.service_level_state, "open")
        self._deliver(order.picking_ids, 10, "2026-03-05")
        self.assertService(
            order,
            service_level_state="on_time",
            is_on_time=True,
            is_in_full=True,
            is_otif=True,
            is_perfect_order=True,
            fill_rate=100.0,
            cycle_time_days=3,
            delay_days=0,
            return_rate=0.0,
        )
        self.assertEqual(str(order.delivered_date), "2026-03-05")

    def test_late_by_one_day_and_tolerance(self):
        order = self._order()
        self._deliver(order.picking_ids, 10, "2026-03-06")
        self.assertService(
            order,
            service_level_state="late",
            is_on_time=False,
            is_otif=False,
            fill_rate=0.0,
            delay_days=1,
            cycle_time_days=4,
        )
        # the setting queues every measured order of the company again
        self.company.late_tolerance_days = 1
        queued = self.env["crm.order.service.queue"].search([]).order_id
        self.assertIn(order, queued)
        self._drain()
        self.assertService(
            order, service_level_state="on_time", is_otif=True, fill_rate=100.0
        )

    def test_partial_then_backorder_late(self):
        order = self._order()
        backorder = self._deliver(order.picking_ids, 6, "2026-03-04")
        self.assertEqual(order.service_level_state, "open")
        self.assertEqual(order.backorder_count, 1)
        self._deliver(backorder, 4, "2026-03-08")
        self.assertService(
            order,
            service_level_state="late",
            is_in_full=True,
            is_on_time=False,
            fill_rate=60.0,
            delay_days=3,
        )
        self.assertEqual(str(order.delivered_date), "2026-03-08")

    def test_backorder_cancelled_short(self):
        order = self._order()
        self._deliver(order.picking_ids, 6, "2026-03-04", backorder=False)
        self.assertService(
            order,
            service_level_state="on_time",
            is_in_full=False,
            is_on_time=True,
            is_otif=False,
            fill_rate=60.0,
            delay_days=-1,
        )
        self.company.qty_tolerance_percent = 40
        self.Service._recompute_orders(order.ids)
        self.assertService(order, is_in_full=True, is_otif=True)

    def test_over_delivery_capped(self):
        order = self._order()
        self._deliver(order.picking_ids, 12, "2026-03-05")
        line = order.service_line_ids
        self.assertEqual(line.delivered_qty, 10.0)
        self.assertService(order, fill_rate=100.0, is_otif=True)

    def test_return_after_delivery(self):
        order = self._order()
        self._deliver(order.picking_ids, 10, "2026-03-05")
        self._return(order.picking_ids, 3, "2026-03-10")
        self.assertEqual(order.return_count, 1)
        self.assertService(
            order,
            return_rate=30.0,
            is_otif=True,
            is_perfect_order=False,
            service_level_state="on_time",
        )
        self.assertEqual(order.service_line_ids.returned_qty, 3.0)
        self.assertEqual(order.service_line_ids.delivered_qty, 10.0)

    def test_repromise_keeps_first_promise(self):
        order = self._order()
        with freeze_time("2026-03-03 09:00:00"):
            order.commitment_date = "2026-03-09 10:00:00"
            order.commitment_date = "2026-03-09 16:00:00"  # same day: not a change
        self.assertEqual(order.first_promised_date, datetime(2026, 3, 5, 10, 0))
        self.assertEqual(order.promise_change_count, 1)
        self._deliver(order.picking_ids, 10, "2026-03-08")
        self.assertService(order, service_level_state="late", delay_days=3)

    def test_services_only_not_measured(self):
        order = self._order(product=self.service)
        self.assertEqual(order.service_level_state, "na")
        self.assertFalse(order.fill_rate)

    def test_failing_order_stays_queued(self):
        """An order whose figures fail to compute stays queued with its error
        and never blocks the others; it is computed once repaired."""
        good = self._order()
        bad = self._order()
        Queue = self.env["crm.order.service.queue"]
        Queue.search([]).unlink()
        # both rows as never computed
        (good | bad).service_id.write({"service_level_state": "na", "due_date": False})
        Queue._enqueue((good | bad).ids)
        Service = type(self.env["crm.order.service"])
        original = Service._recompute_orders

        def failing(model, order_ids):
            if bad.id in order_ids:
                raise ValueError("broken order")
            return original(model, order_ids)

        logger = "odoo.addons.crm_supply_chain_link.models.crm_order_service_queue"
        with (
            freeze_time("2026-03-03 09:00:00"),
            mute_logger(logger),
            patch.object(Service, "_recompute_orders", failing),
        ):
            self.assertEqual(Queue._process(), 2)
        entry = Queue.search([])
        self.assertEqual(entry.order_id, bad)
        self.assertEqual(entry.error, "ValueError: broken order")
        self.assertEqual(
            (entry.attempt, entry.retry_after), (1, datetime(2026, 3, 3, 9, 5))
        )
        self.assertEqual(good.service_id.service_level_state, "open")
        self.assertEqual(bad.service_id.service_level_state, "na")
        # not due yet; then repaired and due
        with freeze_time("2026-03-03 09:01:00"):
            self.assertEqual(Queue._process(), 0)
        with freeze_time("2026-03-03 09:06:00"):
            self.assertEqual(Queue._process(), 1)
        self.assertFalse(Queue.search([]))
        self.assertEqual(bad.service_id.service_level_state, "open")
        self.assertEqual(str(bad.service_id.due_date), "2026-03-05")

    def test_unit_of_measure(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        order = self._order(qty=2, uom=dozen)
        self._deliver(order.picking_ids, 24, "2026-03-05")
        line = order.service_line_ids
        self.assertEqual(line.ordered_qty, 24.0)
        self.assertEqual(line.delivered_qty, 24.0)
        self.assertService(order, is_otif=True, fill_rate=100.0)

    def test_multi_step_route_counts_last_step(self):
        self.warehouse.delivery_steps = "pick_ship"
        order = self._order()
        pick = order.picking_ids.filtered(
            lambda p: p.picking_type_id == self.warehouse.pick_type_id
        )
        self._deliver(pick, 10, "2026-03-04")
        self.assertEqual(order.service_level_state, "open", "the pick does not deliver")
        ship = order.picking_ids - pick
        self._deliver(ship, 10, "2026-03-06")
        self.assertService(order, service_level_state="late", delay_days=1)

    def test_customer_rates_with_overdue_open_order(self):
        on_time = self._order()
        self._deliver(on_time.picking_ids, 10, "2026-03-05")
        late = self._order()
        self._deliver(late.picking_ids, 10, "2026-03-07")
        self._order()  # never delivered: overdue
        short = self._order()
        self._deliver(short.picking_ids, 5, "2026-03-05", backorder=False)
        with freeze_time("2026-03-20 12:00:00"):
            self.Service._cron_refresh_open()
            metrics = self.env["crm.relationship.metrics"]
            metrics._refresh(self.customer.ids, self.company)
            partner = self.customer.with_company(self.company)
            # 4 orders due 2026-03-05: on time, late, overdue, short on time
            self.assertEqual(partner.service_order_count, 4)
            self.assertAlmostEqual(partner.service_otif_rate, 25.0)
            self.assertAlmostEqual(partner.service_on_time_rate, 50.0)
            self.assertAlmostEqual(partner.service_in_full_rate, 50.0)
            # on time: 10 + 0 + 0 + 5 of 40 ordered
            self.assertAlmostEqual(partner.service_fill_rate, 37.5)
            # closed ones: 3, 5, 3 days
            self.assertAlmostEqual(partner.service_cycle_time_days, 3.67)
            self.assertEqual(partner.service_late_order_count, 2)
            self.assertTrue(partner.service_at_risk)
            # the shipped At risk rule takes a customer we keep failing (this
            # one is still in its first 90 days, so New comes first)
            at_risk = self.env.ref("crm_relationship.crm_relationship_stage_at_risk")
            self.assertEqual(
                partner.search(at_risk._get_rule_domain() + [("id", "=", partner.id)]),
                partner,
            )
            self.assertEqual(
                partner.churn_risk_reason,
                "OTIF 25% over the last 90 days (2 of 4 orders late or overdue)",
            )

    def test_report_rates_equal_order_figures(self):
        self.product.list_price = 2.5
        first = self._order()
        self._deliver(first.picking_ids, 10, "2026-03-05")
        second = self._order(qty=30)
        self._deliver(second.picking_ids, 10, "2026-03-07", backorder=False)
        measures = [
            "otif_rate:sum",
            "fill_rate:sum",
            "on_time_rate:sum",
            "cycle_time_days:avg",
            "revenue:sum",
            "order_weight:sum",
        ]
        for model in ("crm.service.order.report", "crm.service.level.report"):
            groups = self.env[model]._read_group(
                [("partner_id", "=", self.customer.id)], [], measures
            )
            otif, fill, on_time, cycle, revenue, orders = groups[0]
            # 40 units at 2.5, untaxed, in the company currency
            self.assertAlmostEqual(revenue, 100.0, msg=model)
            self.assertAlmostEqual(orders, 2.0, msg=model)
            self.assertAlmostEqual(otif, 50.0, msg=model)
            self.assertAlmostEqual(on_time, 50.0, msg=model)
            # 10 of 40 on time: a ratio of sums, not the mean of 100 % and 0 %
            self.assertAlmostEqual(fill, 25.0, msg=model)
            self.assertAlmostEqual(cycle, 4.0, msg=model)

    def test_order_report_by_customer_and_week_equals_lines_and_customer(self):
        """The order grain (one row per order) gives the figures of the line
        grain and of the customer over any grouping."""
        other = self.env["res.partner"].create({"name": "Second Customer"})
        self.product.list_price = 2.0
        gadget = self.env["product.product"].create(
            {"name": "SCL Gadget", "type": "consu", "is_storable": True}
        )
        gadget.list_price = 2.0
        self.env["stock.quant"]._update_available_quantity(
            gadget, self.warehouse.lot_stock_id, 100
        )
        with freeze_time("2026-03-02 10:00:00"):
            two_lines = self.env["sale.order"].create(
                {
                    "partner_id": self.customer.id,
                    "commitment_date": "2026-03-05 10:00:00",
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 10}
                        ),
                        Command.create(
                            {"product_id": gadget.id, "product_uom_qty": 30}
                        ),
                    ],
                }
            )
            two_lines.action_confirm()
        # 10 and 30 on the 5th: on time and in full
        with freeze_time("2026-03-05 15:00:00"):
            for move in two_lines.picking_ids.move_ids:
                move.quantity = move.product_uom_qty
                move.picked = True
            two_lines.picking_ids._action_done()
        late = self._order(qty=20)
        # 20 on the 9th: late, in full
        self._deliver(late.picking_ids, 20, "2026-03-09")
        short = self._order(qty=10, partner=other, commitment="2026-03-12 10:00:00")
        # 4 of 10 on the 12th, no backorder: on time, not in full
        self._deliver(short.picking_ids, 4, "2026-03-12", backorder=False)
        self._drain()
        orders = two_lines | late | short
        domain = [("order_id", "in", orders.ids)]
        measures = [
            "order_weight:sum",
            "otif_rate:sum",
            "in_full_rate:sum",
            "fill_rate:sum",
            "cycle_time_days:sum",
            "revenue:sum",
        ]
        by_report = {}
        for model in ("crm.service.order.report", "crm.service.level.report"):
            rows = self.env[model]._read_group(
                domain, ["partner_id", "due_date:week"], measures
            )
            by_report[model] = {
                (partner.id, str(week)): tuple(round(v, 2) for v in values)
                for partner, week, *values in rows
            }
        expected = {
            # weeks start on Sunday in English (US): the week of 1 March,
            # 2 orders, OTIF 1 of 2, in full 2 of 2,
            # 40 on time of 60 ordered, cycle 3 and 7 days, 60 units at 2.0
            (self.customer.id, "2026-03-01"): (2.0, 50.0, 100.0, 66.67, 5.0, 120.0),
            # the week of 8 March: 1 order, 4 of 10 on time, closed in 10 days
            (other.id, "2026-03-08"): (1.0, 0.0, 0.0, 40.0, 10.0, 20.0),
        }
        self.assertEqual(by_report["crm.service.order.report"], expected)
        self.assertEqual(by_report["crm.service.level.report"], expected)
        self.assertEqual(
            len(self.env["crm.service.level.report"].search(domain)), 4, "4 lines"
        )
        self.assertEqual(
            len(self.env["crm.service.order.report"].search(domain)), 3, "3 orders"
        )
        # the customer's figures over its window (as of the 20th)
        with freeze_time("2026-03-20 12:00:00"):
            self.env["crm.relationship.metrics"]._refresh(
                self.customer.ids, self.company
            )
            partner = self.customer.with_company(self.company)
            self.assertEqual(partner.service_order_count, 2)
            self.assertAlmostEqual(partner.service_otif_rate, 50.0)
            self.assertAlmostEqual(partner.service_fill_rate, 66.67)
