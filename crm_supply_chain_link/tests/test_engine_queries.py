# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The engine's statements run alone on two hand-made orders, their rows
compared with values computed by hand from docs/user-guide.md."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..engine import (
    customer_service_queries,
    profitability_month_queries,
    profitability_queries,
    queue_queries,
    service_queries,
)
from .common import ServiceCommon

AS_OF = datetime(2026, 3, 20, 12, 0)


@tagged("post_install", "-at_install")
class TestEngineQueries(ServiceCommon):
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

    def test_policies_and_status(self):
        Metrics = self.env["crm.relationship.metrics"]
        with freeze_time(AS_OF):
            Metrics._refresh(self.customer.ids, self.company)
        row = Metrics.search(
            [
                ("partner_id", "=", self.customer.id),
                ("company_id", "=", self.company.id),
            ]
        )
        # start from a customer no policy ever measured (demo policies may
        # have matched it in the refresh)
        self.env.cr.execute(
            SQL(
                "UPDATE crm_relationship_metrics SET sla_status = 'none', "
                "sla_order_count = 0, sla_status_reason = NULL, "
                "sla_policy_id = NULL WHERE id = %s",
                row.id,
            )
        )
        policy = self.env["crm.sla.policy"].create(
            {"name": "Engine policy", "target_otif_rate": 50, "window_days": 30}
        )
        company = self.company.id
        self.assertFalse(
            self._rows(
                customer_service_queries.has_policy_values(company, [row.partner_id.id])
            )
        )
        changed = self._rows(
            customer_service_queries.set_policies(
                company, [self.customer.id], [policy.id]
            )
        )
        self.assertEqual(changed, [{"partner_id": self.customer.id}])
        # the same policy again changes nothing
        self.assertFalse(
            self._rows(
                customer_service_queries.set_policies(
                    company, [self.customer.id], [policy.id]
                )
            )
        )
        statuses = self._rows(
            customer_service_queries.sla_evaluate(
                [self.customer.id],
                company,
                "UTC",
                date(2026, 3, 20),
                "%1$s %2$s (target %3$s)",
                {"otif": "OTIF", "fill": "Fill", "cycle": "Cycle", "ret": "Return"},
            )
        )
        self.assertEqual(statuses, [{"id": row.id, "status": "breached"}])
        row.invalidate_recordset()
        self.assertEqual(row.sla_order_count, 2)
        self.assertEqual(row.sla_otif_rate, 0.0)
        self.assertEqual(row.sla_status_reason, "OTIF 0 (target 50)")
        self.assertTrue(
            self._rows(
                customer_service_queries.has_policy_values(company, [self.customer.id])
            )
        )

    def test_service_reason(self):
        Metrics = self.env["crm.relationship.metrics"]
        with freeze_time(AS_OF):
            Metrics._refresh(self.customer.ids, self.company)
        self.env.cr.execute(
            SQL(
                "UPDATE crm_relationship_metrics SET churn_risk_reason = NULL, "
                "churn_risk = 0 WHERE partner_id = %s",
                self.customer.id,
            )
        )
        self.env.cr.execute(
            customer_service_queries.service_reason_update(
                self.company.id, "OTIF %1$s over %2$s days (%3$s of %4$s)", 90
            )
        )
        self.env.invalidate_all()
        partner = self.customer.with_company(self.company)
        self.assertEqual(partner.churn_risk_reason, "OTIF 0 over 90 days (1 of 2)")

    def test_rows_and_order_queue(self):
        Queue = self.env["crm.order.service.queue"]
        self.env.cr.execute(SQL("DELETE FROM crm_order_service_queue"))
        # the rows of two orders dropped, then made again at "install":
        # commitment 2026-03-05 10:00 is the promise, 0 changes, not measured
        self.env.cr.execute(
            SQL(
                "DELETE FROM crm_order_service WHERE order_id = ANY(%s)",
                self.orders.ids,
            )
        )
        self.env.cr.execute(service_queries.init_existing_orders(self.env.uid))
        rows = self._rows(
            SQL(
                "SELECT order_id, first_promised_date, promise_change_count, "
                "service_level_state FROM crm_order_service "
                "WHERE order_id = ANY(%s) ORDER BY order_id",
                self.orders.ids,
            )
        )
        promise = datetime(2026, 3, 5, 10, 0)
        self.assertEqual(
            [tuple(r.values()) for r in rows],
            [(o.id, promise, 0, "na") for o in self.orders.sorted("id")],
        )
        pending = [
            r["order_id"] for r in self._rows(service_queries.pending_orders(10**6))
        ]
        self.assertTrue(set(self.orders.ids) <= set(pending))
        self.assertEqual(
            self._rows(service_queries.pending_count())[0]["count"], len(pending)
        )
        # a newly confirmed order: its row with the frozen promise, queued
        self.env.cr.execute(
            SQL("DELETE FROM crm_order_service WHERE order_id = %s", self.late.id)
        )
        self.env.cr.execute(
            service_queries.ensure_rows(
                [self.late.id],
                [self.company.id],
                [self.customer.id],
                [datetime(2026, 3, 9, 8, 0)],
                uid=self.env.uid,
                now=AS_OF,
            )
        )
        self.assertEqual(
            self._rows(queue_queries.pending_orders(10, AS_OF)),
            [
                {
                    "order_id": self.late.id,
                    "max_id": self._rows(
                        SQL("SELECT max(id) FROM crm_order_service_queue")
                    )[0]["max"],
                    "attempt": 0,
                }
            ],
        )
        # every measured order of the company, and one appended by hand
        self.env.cr.execute(queue_queries.append_company_orders([self.company.id]))
        self.env.cr.execute(queue_queries.append_orders([self.short.id]))
        queued = self._rows(queue_queries.pending_orders(10**6, AS_OF))
        self.assertTrue(
            {self.late.id, self.short.id} <= {r["order_id"] for r in queued}
        )
        mine = [r for r in queued if r["order_id"] in self.orders.ids]
        self.env.cr.execute(SQL("DELETE FROM crm_relationship_queue"))
        self.env.cr.execute(
            queue_queries.queue_customers_and_drain(
                [r["order_id"] for r in mine], [r["max_id"] for r in mine]
            )
        )
        left = {
            r["order_id"]
            for r in self._rows(queue_queries.pending_orders(10**6, AS_OF))
        }
        self.assertFalse(left & set(self.orders.ids))
        self.assertEqual(
            self._rows(
                SQL(
                    "SELECT DISTINCT partner_id, company_id FROM crm_relationship_queue"
                )
            ),
            [{"partner_id": self.customer.id, "company_id": self.company.id}],
        )
        Queue.invalidate_model()

    def test_failed_order_waits_for_its_retry(self):
        self.env.cr.execute(SQL("DELETE FROM crm_order_service_queue"))
        retry = datetime(2026, 3, 20, 12, 5)
        self.env.cr.execute(
            queue_queries.requeue_failed_orders(
                [(self.late.id, "ValueError: broken", 1, retry)]
            )
        )
        self.env.cr.execute(queue_queries.append_orders([self.short.id]))
        self.assertEqual(
            [
                r["order_id"]
                for r in self._rows(queue_queries.pending_orders(10, AS_OF))
            ],
            [self.short.id],
        )
        later = self._rows(queue_queries.pending_orders(10, retry))
        self.assertEqual(
            {(r["order_id"], r["attempt"]) for r in later},
            {(self.late.id, 1), (self.short.id, 0)},
        )
        # customers of the computed orders only are queued
        self.env.cr.execute(SQL("DELETE FROM crm_relationship_queue"))
        self.env.cr.execute(
            queue_queries.queue_customers_and_drain(
                [r["order_id"] for r in later], [r["max_id"] for r in later], []
            )
        )
        self.assertFalse(self._rows(SQL("SELECT 1 FROM crm_relationship_queue")))
        self.assertFalse(self._rows(queue_queries.pending_orders(10, retry)))
