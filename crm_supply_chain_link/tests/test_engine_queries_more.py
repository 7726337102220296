# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..engine import (
    customer_service_queries,
    queue_queries,
    service_queries,
)
from .common import ServiceCommon
from .test_engine_queries import (
    AS_OF,
    TestEngineQueriesData,
)


@tagged("post_install", "-at_install")
class TestEngineQueriesMore(TestEngineQueriesData, ServiceCommon):
    """More of the TestEngineQueries tests, on the same data."""

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
