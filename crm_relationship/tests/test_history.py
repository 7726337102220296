# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.crm_relationship_snapshot import CrmRelationshipSnapshot
from .common import RelationshipCommon

# X: orders of 100 on 2025-01-10, 2025-03-11, 2025-05-10 (60 days apart) and of
# 300 on 2026-02-20; Y: one order of 1000 on 2025-06-01 and one of 50 on
# 2026-03-02, after the last month end. Today: 2026-03-03 (the nightly run on
# the 3rd), 14 month ends: 2025-01-31 .. 2026-02-28.
# (month end, lifetime revenue, recency, churn risk, tier, stage) of X, by hand:
# interval 60 once two order days (then 135.33 with the fourth order); the
# risk is 0 up to ratio 1, 50 x (ratio - 1) up to 3, then 100; before a second
# order day the company median is the default 90 days.
X_EXPECTED = [
    (date(2025, 1, 31), 100, 21, 0.0, "A", "new"),  # 21 / 90
    (date(2025, 2, 28), 100, 49, 0.0, "A", "new"),
    (date(2025, 3, 31), 200, 20, 0.0, "A", "new"),  # tenure 80
    (date(2025, 4, 30), 200, 50, 0.0, "A", "active"),  # tenure 110
    (date(2025, 5, 31), 300, 21, 0.0, "A", "active"),
    (date(2025, 6, 30), 300, 51, 0.0, "A", "active"),  # before 1000/1300: A
    (date(2025, 7, 31), 300, 82, 18.33, "A", "active"),  # 82/60 = 1.367
    (date(2025, 8, 31), 300, 113, 44.17, "A", "active"),
    (date(2025, 9, 30), 300, 143, 69.17, "A", "at_risk"),
    (date(2025, 10, 31), 300, 174, 95.0, "A", "at_risk"),
    (date(2025, 11, 30), 300, 204, 100.0, "A", "at_risk"),
    (date(2025, 12, 31), 300, 235, 100.0, "A", "at_risk"),
    # the window (365 days) has lost 2025-01-10: 200 against Y's 1000: B
    (date(2026, 1, 31), 300, 266, 100.0, "B", "at_risk"),
    # three orders in the window, tenure 414: loyal; 500 against 1000: A
    (date(2026, 2, 28), 600, 8, 0.0, "A", "loyal"),
]
# Y from its first month end: recency from 2025-06-01, its rhythm the
# company median (X's interval: 60, then 135.33)
Y_EXPECTED = [
    (date(2025, 6, 30), 1000, 29, 0.0, "A", "new"),
    (date(2025, 7, 31), 1000, 60, 0.0, "A", "new"),
    (date(2025, 8, 31), 1000, 91, 25.83, "A", "active"),  # 91/60
    (date(2025, 9, 30), 1000, 121, 50.83, "A", "at_risk"),
    (date(2025, 10, 31), 1000, 152, 76.67, "A", "at_risk"),
    (date(2025, 11, 30), 1000, 182, 100.0, "A", "at_risk"),
    (date(2025, 12, 31), 1000, 213, 100.0, "A", "at_risk"),
    (date(2026, 1, 31), 1000, 244, 100.0, "A", "at_risk"),
    # 272 / 135.33 = 2.0099: 50.49; the order of 2026-03-02 is not counted
    (date(2026, 2, 28), 1000, 272, 50.49, "A", "at_risk"),
]


@tagged("post_install", "-at_install")
class TestHistory(RelationshipCommon):
    """Month-end snapshots (../shared/METRICS.md, section 8), by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.history_months = 14
        Partner = cls.env["res.partner"]
        cls.x = Partner.create({"name": "X History", "is_company": True})
        cls.y = Partner.create({"name": "Y History", "is_company": True})
        with freeze_time("2026-03-03 09:00:00"):
            for day in ("2025-01-10", "2025-03-11", "2025-05-10"):
                cls._order(cls.x, day, 100)
            cls._order(cls.x, "2026-02-20", 300)
            cls._order(cls.y, "2025-06-01", 1000)
            cls._order(cls.y, "2026-03-02", 50)
        cls.Snapshot = cls.env["crm.relationship.snapshot"]
        cls.stages = {
            stage.stage_type: stage
            for stage in cls.env["crm.relationship.stage"].search(
                [("company_id", "=", False)]
            )
        }

    def _run_history(self):
        """Call the scheduled action's method until no month end is pending,
        as the cron runner does."""
        for _i in range(100):
            if not self.Snapshot._cron_history():
                return
        self.fail("the history never finished")

    def _rows(self, partner):
        return self.Snapshot.search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)],
            order="date",
        )

    def _values(self, partner):
        return [
            (
                row.date,
                row.lifetime_revenue,
                row.recency_days,
                row.churn_risk,
                row.value_tier,
                row.stage_id.stage_type,
            )
            for row in self._rows(partner)
        ]

    @freeze_time("2026-03-03 01:00:00")
    def test_backfill_values_at_each_month_end(self):
        Metrics = self.env["crm.relationship.metrics"]
        Metrics._cron_process_queue()
        today = Metrics.search(
            [("partner_id", "=", self.y.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            (today.lifetime_revenue, today.recency_days, today.stage_id.stage_type),
            (1050, 1, "active"),
        )
        self.Snapshot._schedule_backfill(self.company)
        self.assertEqual(self.company.history_next_date, date(2025, 1, 31))
        self._run_history()
        self.assertEqual(self._values(self.x), X_EXPECTED)
        self.assertEqual(self._values(self.y), Y_EXPECTED)
        self.assertFalse(self.company.history_next_date)
        self.assertEqual(self.company.history_last_date, date(2026, 2, 28))
        x_feb = self._rows(self.x)[-1]
        # three orders in the window ending 2026-02-28 (2025-03-11 on)
        self.assertEqual(x_feb.rfm_frequency, 3)
        self.assertEqual(x_feb.rfm_monetary, 500)
        self.assertEqual(x_feb.month_order_count, 1)
        self.assertEqual(x_feb.ordered_in_month, 1)
        self.assertEqual(x_feb.cohort_age_months, 13)
        # the value at risk of Y: predicted value x risk; predicted value =
        # 1000 x 365 / 135.333 x (1 - 0.5049) = 2697.04 x 0.4951 = 1335.31;
        # at risk: 1335.31 x 0.5049 = 674.20
        y_feb = self._rows(self.y)[-1]
        self.assertAlmostEqual(y_feb.predicted_clv, 1335.31, places=2)
        self.assertAlmostEqual(y_feb.value_at_risk, 674.20, places=2)
        # today's values are untouched: Y's order of 2026-03-02 counts there
        today.invalidate_recordset()
        self.assertEqual(
            (today.lifetime_revenue, today.recency_days, today.stage_id.stage_type),
            (1050, 1, "active"),
        )

    @freeze_time("2026-03-03 01:00:00")
    def test_orm_write_during_a_month_end_fails_loudly(self):
        """The temporary values table is a contract (docs/architecture.md):
        an ORM write on the values while a month end is computed would write
        the temporary rows; it raises, and nothing of the month is kept."""
        Metrics = type(self.env["crm.relationship.metrics"])
        original = Metrics._write_company_overrides

        def writing(model, company, partner_ids=None):
            original(model, company, partner_ids)
            model.search([("company_id", "=", company.id)], limit=1).write(
                {"stage_locked": True}
            )

        with (
            patch.object(Metrics, "_write_company_overrides", writing),
            self.assertRaises(UserError) as caught,
        ):
            self.Snapshot._write_month(self.company, date(2026, 2, 28))
        self.assertIn("past day", str(caught.exception))
        self.assertFalse(self._rows(self.x))
        # the temporary table went with the savepoint: the real one is seen
        self.assertIsNone(
            self.env.execute_query(
                SQL("SELECT to_regclass('pg_temp.crm_relationship_metrics')")
            )[0][0]
        )

    @freeze_time("2026-03-03 01:00:00")
    def test_order_after_the_month_end_leaves_it(self):
        self.Snapshot._schedule_backfill(self.company)
        self._run_history()
        before = self._values(self.y)
        self._order(self.y, "2026-03-01", 400)
        self.Snapshot._write_month(self.company, date(2026, 2, 28))
        self.assertEqual(self._values(self.y), before)

    def test_nightly_on_the_third_writes_the_month_that_ended(self):
        with freeze_time("2026-02-10 01:00:00"):
            self.Snapshot._schedule_backfill(self.company)
            self._run_history()
        self.assertEqual(self._rows(self.x)[-1].date, date(2026, 1, 31))
        with freeze_time("2026-03-03 01:00:00"):
            self.env["ir.cron.trigger"].search([]).unlink()
            self.env["crm.relationship.metrics"]._cron_enqueue_all()
            history = self.env.ref("crm_relationship.ir_cron_relationship_history")
            self.assertTrue(
                self.env["ir.cron.trigger"].search([("cron_id", "=", history.id)])
            )
            self._run_history()
        # written as of its last day: recency 8, not 11
        self.assertEqual(self._values(self.x)[-1], X_EXPECTED[-1])
        self.assertEqual(self._values(self.y)[-1], Y_EXPECTED[-1])
        self.assertEqual(self.company.history_last_date, date(2026, 2, 28))
        # never rewritten afterwards: a later run has nothing to do
        with freeze_time("2026-03-20 01:00:00"):
            self.assertEqual(self.Snapshot._pending_months(self.company), [])

    @freeze_time("2026-03-03 01:00:00")
    def test_interrupted_backfill_resumes_with_the_same_rows(self):
        self.Snapshot._schedule_backfill(self.company)
        self._run_history()
        expected = self._values(self.x) + self._values(self.y)
        self.Snapshot._schedule_backfill(self.company)
        original = CrmRelationshipSnapshot._write_month

        def crash_in_june(snapshot, company, day):
            if day == date(2025, 6, 30) and company == self.company:
                raise RuntimeError("server crash")
            return original(snapshot, company, day)

        # one month end per call (the budget is spent after each)
        with (
            patch.object(
                type(self.env["crm.relationship.metrics"]),
                "_cron_deadline",
                lambda metrics: time.monotonic() - 1,
            ),
            patch.object(CrmRelationshipSnapshot, "_write_month", crash_in_june),
        ):
            for _i in range(5):
                self.Snapshot._cron_history()
            self.assertEqual(self.company.history_last_date, date(2025, 5, 31))
            # the runner rolls the failed call back
            with self.assertRaises(RuntimeError), self.env.cr.savepoint():
                self.Snapshot._cron_history()
            self.assertEqual(self.company.history_last_date, date(2025, 5, 31))
        self._run_history()
        self.assertEqual(self._values(self.x) + self._values(self.y), expected)
        self.assertEqual(
            self.Snapshot.search_count([("company_id", "=", self.company.id)]),
            len(X_EXPECTED) + len(Y_EXPECTED),
        )

    @freeze_time("2026-03-03 01:00:00")
    def test_reports(self):
        self.Snapshot._schedule_backfill(self.company)
        self._run_history()
        # customers per stage at 2025-09-30: both at risk
        groups = self.Snapshot._read_group(
            [("company_id", "=", self.company.id), ("date", "=", "2025-09-30")],
            ["stage_id"],
            ["__count"],
        )
        self.assertEqual(groups, [(self.stages["at_risk"], 2)])
        # stage flow into 2026-02-28: X at risk -> loyal, Y at risk -> at risk
        flow = self.env["crm.relationship.snapshot.flow"].search(
            [("company_id", "=", self.company.id), ("date", "=", "2026-02-28")],
            order="partner_id",
        )
        self.assertEqual(
            {(f.partner_id, f.from_stage_id, f.stage_id, f.moved) for f in flow},
            {
                (self.x, self.stages["at_risk"], self.stages["loyal"], True),
                (self.y, self.stages["at_risk"], self.stages["at_risk"], False),
            },
        )
        # a first month has no stage before it
        first = self.env["crm.relationship.snapshot.flow"].search(
            [("partner_id", "=", self.y.id), ("date", "=", "2025-06-30")]
        )
        self.assertFalse(first.from_stage_id)
        # retention: the January 2025 cohort (X) ordered in months 0, 2, 4, 13
        # of its 14; per cohort age over both cohorts: age 0: 2 of 2 = 100 %
        cohort = dict(
            self.Snapshot._read_group(
                [("company_id", "=", self.company.id)],
                ["cohort_age_months"],
                ["ordered_in_month:sum"],
            )
        )
        self.assertEqual(cohort[0], 100.0)
        self.assertEqual(cohort[1], 0.0)
        self.assertEqual(cohort[2], 50.0)  # X in March 2025, Y not in Aug
        self.assertEqual(cohort[13], 100.0)  # X alone is 13 months old

    @freeze_time("2026-03-03 01:00:00")
    def test_access(self):
        """Section 9: salespeople limited to their own documents see their own
        customers' history; money needs the sales rights; others see none."""
        self.Snapshot._schedule_backfill(self.company)
        self._run_history()
        own_rep = self.env["res.users"].create(
            {
                "name": "History Rep",
                "login": "history_rep",
                "groups_id": [
                    (6, 0, [self.env.ref("sales_team.group_sale_salesman").id])
                ],
                "company_id": self.company.id,
                "company_ids": [(6, 0, [self.company.id])],
            }
        )
        self.x.user_id = own_rep
        self.y.user_id = self.env.ref("base.user_admin")
        rows = self.Snapshot.with_user(own_rep).search([])
        self.assertEqual(rows.partner_id, self.x)
        self.assertEqual(
            rows.sorted("date")[-1].lifetime_revenue, 600, "sales rights read money"
        )
        flow = self.env["crm.relationship.snapshot.flow"].with_user(own_rep).search([])
        self.assertEqual(flow.partner_id, self.x)
        stock_user = self.env["res.users"].create(
            {
                "name": "History Internal User",
                "login": "history_internal",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
                "company_id": self.company.id,
                "company_ids": [(6, 0, [self.company.id])],
            }
        )
        with self.assertRaises(AccessError):
            self.Snapshot.with_user(stock_user).search([])

    @freeze_time("2026-03-03 01:00:00")
    def test_partner_trend(self):
        self.Snapshot._schedule_backfill(self.company)
        self._run_history()
        contact = self.env["res.partner"].create(
            {"name": "X Buyer", "parent_id": self.x.id}
        )
        trend = contact.with_company(self.company).relationship_snapshot_ids
        # the last 12 of X's 14 month ends, newest first
        self.assertEqual(
            [(row.date, row.stage_id.stage_type) for row in trend],
            [(day, stage) for day, _r, _d, _c, _t, stage in reversed(X_EXPECTED)][:12],
        )
        self.assertEqual(trend[0].rfm_monetary, 500)
