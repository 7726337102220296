# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from ..models.crm_relationship_metrics import BATCH_COLUMNS, COMPANY_COLUMNS
from .common import RelationshipCommon
from .datagen import make_customers
from .naive import naive_company

# every value of METRICS.md section 1 but the day and the reason sentence
FIELDS = [
    name
    for name in BATCH_COLUMNS + COMPANY_COLUMNS
    if name not in ("relationship_computed_on", "churn_risk_reason")
]


class TestRelationshipEngineData:
    """The data and helpers of the TestRelationshipEngine tests (a mixin: not a test
    case of its own, so the runner never runs it)."""

    def _queries(self, func, *args):
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        func(*args)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def _clear_queues(self):
        """Only what the test queues: the customers' queue emptied, and the
        orders' queue of crm_supply_chain_link when installed (its scheduled
        action computes queued orders first, then queues their customers)."""
        self.env["crm.relationship.queue"].search([]).unlink()
        if "crm.order.service.queue" in self.env:
            self.env["crm.order.service.queue"].search([]).unlink()

    def _assert_equal_to_naive(self, partners):
        expected = naive_company(self.env, partners, self.company, date(2026, 6, 30))
        rows = self.Metrics.search(
            [("partner_id", "in", partners.ids), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(rows), len(partners))
        for row in rows:
            exp = expected[row.partner_id.id]
            for name in FIELDS:
                if name not in exp:
                    self.assertFalse(row[name], f"{row.partner_id.name}: {name}")
                elif isinstance(exp[name], float):
                    self.assertAlmostEqual(row[name], exp[name], places=2, msg=name)
                else:
                    self.assertEqual(row[name], exp[name] or False, name)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 12:00:00")
class TestRelationshipEngine(TestRelationshipEngineData, RelationshipCommon):
    def test_query_count_does_not_grow_with_customers(self):
        """2,000 customers with 20,000 orders: a bounded number of queries."""
        small = make_customers(
            self.env, self.company, 200, 10, date(2026, 6, 30), self.product_1
        )
        large = make_customers(
            self.env, self.company, 2000, 10, date(2026, 6, 30), self.product_1
        )
        count_small = self._queries(self.Metrics._refresh, small, self.company)
        count_large = self._queries(self.Metrics._refresh, large, self.company)
        # first computation: metrics upsert, company pass, 7 stage rules, and
        # per moved stage one write, one history insert, one chatter batch
        # (the ORM reads and inserts by chunks of 1,000 records); with
        # crm_supply_chain_link installed, its policies, service reason and
        # profitability months add a few statements per batch
        self.assertLessEqual(count_small, 70)
        self.assertLessEqual(count_large, 2 * 70)
        self.assertLess((count_large - count_small) / 1800, 0.05)
        rows = self.Metrics.search([("partner_id", "in", large)])
        self.assertEqual(len(rows), 2000)
        self.assertEqual(sum(rows.mapped("lifetime_order_count")), 20000)
        # recomputing unchanged customers touches nothing
        count_again = self._queries(self.Metrics._refresh, large, self.company)
        self.assertLessEqual(count_again, 40)

    def test_equal_to_naive_computation(self):
        ids = make_customers(
            self.env, self.company, 60, 7, date(2026, 6, 30), self.product_2
        )
        partners = self.env["res.partner"].browse(ids)
        # a same-day pair, a second currency and a contact order on top
        self._order(partners[0], "2026-06-01", 10)
        self._order(partners[0], "2026-06-01", 20, pricelist=self.pricelist_eur)
        contact = self.env["res.partner"].create(
            {"name": "Scale contact", "parent_id": partners[1].id}
        )
        self._order(contact, "2026-05-01", 30, product=self.product_1)
        prospect = self.env["res.partner"].create({"name": "Quote only"})
        self.env["sale.order"].create(
            {"partner_id": prospect.id, "company_id": self.company.id}
        )
        self.Metrics._cron_process_queue()
        self.Metrics._refresh(ids + prospect.ids, self.company)
        self._assert_equal_to_naive(partners | prospect)

    def test_day_pass_writes_the_refreshed_customers_only(self):
        """Within the day (fewer than a slice of a company's customers
        queued), the company pass ranks the refreshed customer among every
        customer but writes its row alone; the others' tiers and scores wait
        for the pass over the whole company."""
        ids = make_customers(
            self.env, self.company, 20, 3, date(2026, 6, 30), self.product_2
        )
        partners = self.env["res.partner"].browse(ids)
        self.Metrics._refresh(ids, self.company)
        self._assert_equal_to_naive(partners)
        rows = self.Metrics.search([("partner_id", "in", ids)])
        before = {r.partner_id.id: (r.value_tier, r.rfm_monetary_score) for r in rows}
        self._clear_queues()
        # one customer orders more than all the others together
        big = partners[0]
        self._order(big, "2026-06-29", 1000000)
        self.Metrics._cron_process_queue()
        expected = naive_company(self.env, partners, self.company, date(2026, 6, 30))
        big_row = rows.filtered(lambda r: r.partner_id == big)
        self.assertEqual(big_row.value_tier, "A")
        self.assertEqual(big_row.rfm_monetary_score, 5)
        self.assertEqual(
            (big_row.value_tier, big_row.rfm_monetary_score),
            (expected[big.id]["value_tier"], expected[big.id]["rfm_monetary_score"]),
        )
        moved = [
            pid
            for pid in ids[1:]
            if (expected[pid]["value_tier"], expected[pid]["rfm_monetary_score"])
            != before[pid]
        ]
        self.assertTrue(moved, "the big order moves other customers' tier or score")
        for row in rows.filtered(lambda r: r.partner_id.id in moved):
            self.assertEqual(
                (row.value_tier, row.rfm_monetary_score), before[row.partner_id.id]
            )
        # the pass over the whole company (the nightly pass) writes them
        self.Metrics._refresh(ids, self.company)
        self._assert_equal_to_naive(partners)

    def test_queue_drained_by_one_run(self):
        # only the customers of this test are queued
        self._clear_queues()
        ids = make_customers(
            self.env, self.company, 1200, 1, date(2026, 6, 30), self.product_1
        )
        self.env["crm.relationship.queue"]._enqueue(
            [(pid, self.company.id) for pid in ids]
        )
        # a customer queued twice is computed once
        self.env["crm.relationship.queue"]._enqueue([(ids[0], self.company.id)])
        done = self.Metrics._cron_process_queue()
        self.assertEqual(done, 1200)
        self.assertFalse(self.env["crm.relationship.queue"].search_count([]))
        self.assertEqual(self.Metrics.search_count([("partner_id", "in", ids)]), 1200)

    def test_nightly_pass_in_large_batches(self):
        """More than 2,000 customers of a company (the nightly pass, a first
        computation) are computed in one batch, the day's changes in batches
        of 500, whichever module extends the scheduled action."""
        ids = make_customers(
            self.env, self.company, 2001, 1, date(2026, 6, 30), self.product_1
        )
        Queue = self.env["crm.relationship.queue"]
        Metrics = type(self.Metrics)
        original = Metrics._refresh
        calls = []

        def recording(model, partner_ids, company, **kwargs):
            if company == self.company:
                calls.append((len(partner_ids), kwargs.get("batch_size")))
            return original(model, partner_ids, company, **kwargs)

        with patch.object(Metrics, "_refresh", recording):
            Queue._enqueue([(pid, self.company.id) for pid in ids])
            self.Metrics._cron_process_queue()
            Queue._enqueue([(pid, self.company.id) for pid in ids[:700]])
            self.Metrics._cron_process_queue()
        self.assertEqual(calls, [(2001, None), (700, 500)])
        self.assertEqual(self.Metrics.search_count([("partner_id", "in", ids)]), 2001)

    def test_confirmation_only_queues(self):
        partner = self.env["res.partner"].create({"name": "Queued"})
        queue = self.env["crm.relationship.queue"]
        before = queue.search_count([])
        order = self._order(partner, "2026-06-29", 100)
        self.assertGreater(queue.search_count([("partner_id", "=", partner.id)]), 0)
        self.assertGreater(queue.search_count([]), before)
        self.assertFalse(
            self.Metrics.search([("partner_id", "=", partner.id)]),
            "the user's transaction does not compute the metrics",
        )
        self.assertTrue(
            self.env["ir.cron.trigger"].search(
                [
                    (
                        "cron_id",
                        "=",
                        self.env.ref("crm_relationship.ir_cron_relationship_queue").id,
                    )
                ]
            )
        )
        self.Metrics._cron_process_queue()
        row = self.Metrics.search([("partner_id", "=", partner.id)])
        self.assertEqual(row.lifetime_order_count, 1)
        order._action_cancel()
        self.Metrics._cron_process_queue()
        self.assertEqual(row.lifetime_order_count, 0)
        self.assertEqual(
            row.stage_id,
            self.env.ref("crm_relationship.crm_relationship_stage_prospect"),
        )

    def test_failing_customer_is_skipped(self):
        ids = make_customers(
            self.env, self.company, 3, 2, date(2026, 6, 30), self.product_1
        )
        Metrics = type(self.Metrics)
        original = Metrics._batch_query

        def failing(model, partner_ids, company):
            if ids[1] in partner_ids:
                return SQL("SELECT 1 / 0")
            return original(model, partner_ids, company)

        logger = "odoo.addons.crm_relationship.models.crm_relationship_metrics"
        with (
            mute_logger(logger, "odoo.sql_db"),
            patch.object(Metrics, "_batch_query", failing),
        ):
            self.Metrics._refresh(ids, self.company)
        rows = self.Metrics.search([("partner_id", "in", ids)])
        self.assertEqual(sorted(rows.partner_id.ids), sorted([ids[0], ids[2]]))
        self.assertEqual(set(rows.mapped("lifetime_order_count")), {2})
