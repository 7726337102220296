# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The engine's statements run alone on two hand-made orders, their rows
compared with values computed by hand from docs/user-guide.md."""

from datetime import date, datetime

from odoo.tests import tagged
from odoo.tools import SQL

from ..engine import (
    customer_service_queries,
    profitability_month_queries,
    profitability_queries,
    service_queries,
)
from .common import ServiceCommon

AS_OF = datetime(2026, 3, 20, 12, 0)


class TestEngineQueriesData:
    """The data and helpers of the TestEngineQueries tests (a mixin: not a test
    case of its own, so the runner never runs it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # late: 6 on 2026-03-04, the backorder's 4 on 03-06, 2 returned 03-07
        cls.late = cls._order(qty=10)
        backorder = cls._deliver(cls.late.picking_ids, 6, "2026-03-04")
        cls._deliver(backorder, 4, "2026-03-06")
        first = cls.late.picking_ids.filtered(lambda p: p.backorder_ids)
        cls._return(first, 2, "2026-03-07")
        # short: 5 of 10 on the due day, the rest cancelled
        cls.short = cls._order(qty=10)
        cls._deliver(cls.short.picking_ids, 5, "2026-03-05", backorder=False)
        cls.orders = cls.late | cls.short
        cls.env.flush_all()

    def _rows(self, query):
        self.env.flush_all()
        return self.env.execute_query_dict(query)


@tagged("post_install", "-at_install")
class TestEngineQueries(TestEngineQueriesData, ServiceCommon):
    def test_line_values(self):
        rows = self._rows(service_queries.line_values(self.orders.ids, AS_OF, False))
        common = {"ordered": 10.0, "closed": True, "due_day": date(2026, 3, 5)}
        self.assertEqual(
            rows,
            [
                {
                    "line_id": self.late.order_line.id,
                    **common,
                    "delivered": 10.0,
                    "on_time": 6.0,
                    "returned": 2.0,
                    "closing_day": date(2026, 3, 6),
                },
                {
                    "line_id": self.short.order_line.id,
                    **common,
                    "delivered": 5.0,
                    "on_time": 5.0,
                    "returned": 0.0,
                    "closing_day": date(2026, 3, 5),
                },
            ],
        )

    def test_order_values(self):
        rows = self._rows(service_queries.order_values(self.orders.ids, AS_OF, False))
        common = {"due_day": date(2026, 3, 5), "ordered": 10.0, "line_count": 1}
        self.assertEqual(
            rows,
            [
                {
                    "service_id": self.late.service_id.id,
                    **common,
                    # closed 03-06, a day after the due day; 6 of 10 by then
                    "delivered_date": date(2026, 3, 6),
                    "in_full": True,
                    "on_time": False,
                    "otif": False,
                    "fill_rate": 60.0,
                    "cycle": 4,
                    "delay": 1,
                    "return_rate": 20.0,
                    "perfect": False,
                    "state": "late",
                    "delivered": 10.0,
                    "on_time_qty": 6.0,
                    "returned": 2.0,
                },
                {
                    "service_id": self.short.service_id.id,
                    **common,
                    "delivered_date": date(2026, 3, 5),
                    "in_full": False,
                    "on_time": True,
                    "otif": False,
                    "fill_rate": 50.0,
                    "cycle": 3,
                    "delay": 0,
                    "return_rate": 0.0,
                    "perfect": False,
                    "state": "on_time",
                    "delivered": 5.0,
                    "on_time_qty": 5.0,
                    "returned": 0.0,
                },
            ],
        )

    def test_recompute_writes_the_same_values(self):
        self.env.cr.execute(
            SQL(
                "UPDATE crm_order_service SET fill_rate = NULL, "
                "service_level_state = 'na' WHERE order_id = ANY(%s)",
                self.orders.ids,
            )
        )
        self.env.cr.execute(
            service_queries.recompute_orders(
                self.orders.ids, AS_OF, self.env.uid, False
            )
        )
        self.env.invalidate_all()
        self.assertEqual(self.late.service_id.fill_rate, 60.0)
        self.assertEqual(self.short.service_id.service_level_state, "on_time")
        self.assertEqual(self.late.service_id.line_ids.on_time_qty, 6.0)

    def test_profitability(self):
        """Both orders on 03-02: 10 widgets at 1.0, cost 0 (revenue and margin
        10 each); deliveries on 03-04, 03-06 and 03-05, a return on 03-07;
        the late order is a late order (due 03-05)."""
        self.env["crm.cost.driver"].search([]).active = False
        rows = self._rows(
            profitability_queries.events(
                self.company.id,
                "UTC",
                False,
                [self.customer.id],
                start=date(2025, 3, 20),
                end=date(2026, 3, 20),
            )
        )
        by_driver = {}
        for row in rows:
            by_driver[row["driver"]] = by_driver.get(row["driver"], 0) + row["n"]
        self.assertEqual(
            by_driver,
            {"order": 2, "order_line": 2, "delivery": 3, "return": 1, "late_order": 1},
        )
        self.assertEqual(sum(r["revenue"] or 0 for r in rows), 20.0)
        self.assertEqual(sum(r["margin"] or 0 for r in rows), 20.0)
        self.assertEqual(
            sorted(str(r["day"]) for r in rows if r["driver"] == "delivery"),
            ["2026-03-04", "2026-03-05", "2026-03-06"],
        )
        # a window that ends before the orders: no event
        self.assertFalse(
            self._rows(
                profitability_queries.events(
                    self.company.id,
                    "UTC",
                    False,
                    [self.customer.id],
                    start=date(2025, 3, 1),
                    end=date(2026, 3, 1),
                )
            )
        )
        Driver = self.env["crm.cost.driver"]
        for driver, cost in (("order", 5.0), ("delivery", 8.0), ("late_order", 20.0)):
            Driver.create({"name": driver, "driver": driver, "cost": cost})
        profit = profitability_queries.customer_profitability(
            [self.customer.id],
            self.company.id,
            "UTC",
            date(2025, 3, 20),
            date(2026, 3, 20),
            False,
        )
        # 2 x 5 + 3 x 8 + 20
        self.assertEqual(
            self._rows(profit),
            [
                {
                    "partner_id": self.customer.id,
                    "gross_margin": 20.0,
                    "cost_to_serve": 54.0,
                }
            ],
        )
        # the stored months of the analysis: all in March
        self.env.cr.execute(
            profitability_month_queries.monthly_refresh(
                [self.customer.id],
                self.company.id,
                "UTC",
                False,
                since=date(2025, 3, 21),
                as_of=date(2026, 3, 20),
            )
        )
        months = self._rows(
            SQL(
                "SELECT date, revenue, gross_margin, order_cost, delivery_cost, "
                "late_order_cost, cost_to_serve, net_contribution, order_count "
                "FROM crm_profitability_month WHERE partner_id = %s",
                self.customer.id,
            )
        )
        self.assertEqual(
            months,
            [
                {
                    "date": date(2026, 3, 1),
                    "revenue": 20.0,
                    "gross_margin": 20.0,
                    "order_cost": 10.0,
                    "delivery_cost": 24.0,
                    "late_order_cost": 20.0,
                    "cost_to_serve": 54.0,
                    "net_contribution": -34.0,
                    "order_count": 2,
                }
            ],
        )
        joined = profitability_queries.profit_values(
            SQL(
                "(SELECT %s AS partner_id, 40.0::float AS rfm_monetary)",
                self.customer.id,
            ),
            profit,
        )
        self.assertEqual(
            [tuple(row) for row in self.env.execute_query(joined)],
            # margin 20 of 40 = 50 %, cost to serve 54, net -34 = -85 %
            [(self.customer.id, 20.0, 50.0, 54.0, -34.0, -85.0, "unprofitable")],
        )

    def test_customer_rates(self):
        rows = self._rows(
            customer_service_queries.customer_rates(
                [self.customer.id],
                self.company.id,
                start=date(2025, 12, 20),
                as_of=date(2026, 3, 20),
                default_threshold=80.0,
            )
        )
        # two orders due 03-05: none OTIF, one on time, one in full; on time
        # 6 + 5 of 20; cycle (4 + 3) / 2; returned 2 of 15; one late
        self.assertEqual(
            rows,
            [
                {
                    "partner_id": self.customer.id,
                    "srv_n": 2,
                    "srv_otif": 0.0,
                    "srv_on_time": 50.0,
                    "srv_in_full": 50.0,
                    "srv_perfect": 0.0,
                    "srv_fill": 55.0,
                    "srv_cycle": 3.5,
                    "srv_ret": 13.33,
                    "srv_late": 1,
                    "srv_at_risk": True,
                }
            ],
        )
        # a window ending on the due day leaves both out: empty, not zero
        rows = self._rows(
            customer_service_queries.customer_rates(
                [self.customer.id],
                self.company.id,
                date(2026, 1, 1),
                date(2026, 3, 5),
                80,
            )
        )
        self.assertEqual(rows[0]["srv_n"], 0)
        self.assertIsNone(rows[0]["srv_otif"])
        self.assertFalse(rows[0]["srv_at_risk"])
