# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The engine's statements run alone on hand-made customers; their rows are
compared with values computed by hand from docs/user-guide.md ("What the
values mean").

as_of = 2026-06-30, W = 365 days (window days 2025-07-01 .. 2026-06-30).
"""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..engine import (
    lifecycle_queries,
    queue_queries,
    relationship_queries,
)
from .common import RelationshipCommon

AS_OF = date(2026, 6, 30)
NOW = datetime(2026, 6, 30, 12, 0)
REASON = "Last order %1$s days ago, %2$sx the usual %3$s days"


class EngineCommon(RelationshipCommon):
    """Two customers and a prospect of the test company, and a complaint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.a = Partner.create({"name": "Engine A", "is_company": True})
        cls.b = Partner.create({"name": "Engine B", "is_company": True})
        cls.p = Partner.create({"name": "Engine Prospect", "is_company": True})
        # A: 100, 200, 300 on 2026-01-10, 03-01, 06-01 (142 days apart in all)
        cls._order(cls.a, "2026-01-10", 100)
        cls._order(cls.a, "2026-03-01", 200)
        cls._order(cls.a, "2026-06-01", 300)
        # B: 50 on 2025-01-15 (before the window), 50 on 2026-06-20: 521 days
        # apart, more than the 365 of "won back after"
        cls._order(cls.b, "2025-01-15", 50)
        cls._order(cls.b, "2026-06-20", 50, product=cls.product_2)
        with freeze_time("2026-06-10 09:00:00"):
            cls.complaint = cls.env["crm.customer.request"].create(
                {
                    "name": "Broken",
                    "partner_id": cls.a.id,
                    "company_id": cls.company.id,
                    "request_type": "complaint",
                }
            )
        cls.ids = [cls.a.id, cls.b.id, cls.p.id]

    def _rows(self, query):
        self.env.flush_all()
        return self.env.execute_query_dict(query)


@tagged("post_install", "-at_install")
class TestEngineQueries(EngineCommon):
    def test_customer_values(self):
        rows = self._rows(
            SQL(
                "SELECT * FROM (%s) v ORDER BY partner_id",
                relationship_queries.customer_values(
                    self.ids, self.company.id, "UTC", AS_OF, 365, 365, False
                ),
            )
        )
        values = [tuple(row.values()) for row in rows]
        self.assertEqual(
            values,
            [
                # first, last, count, revenue, average, recency, tenure,
                # frequency, monetary, interval, next order, categories,
                # contacts, reactivation, as_of
                (
                    self.a.id,
                    date(2026, 1, 10),
                    date(2026, 6, 1),
                    3,
                    600.0,
                    200.0,
                    29,
                    171,
                    3,
                    600.0,
                    71.0,
                    date(2026, 8, 11),
                    1,
                    1,
                    None,
                    AS_OF,
                ),
                (
                    self.b.id,
                    date(2025, 1, 15),
                    date(2026, 6, 20),
                    2,
                    100.0,
                    50.0,
                    10,
                    531,
                    1,
                    50.0,
                    521.0,
                    date(2027, 11, 23),
                    1,
                    1,
                    date(2026, 6, 20),
                    AS_OF,
                ),
                (
                    self.p.id,
                    None,
                    None,
                    0,
                    None,
                    None,
                    None,
                    None,
                    0,
                    None,
                    None,
                    None,
                    0,
                    0,
                    None,
                    AS_OF,
                ),
            ],
        )

    def test_company_values(self):
        with freeze_time(NOW):
            self.Metrics._refresh(self.ids, self.company)
        rows = self._rows(
            SQL(
                "SELECT * FROM (%s) v ORDER BY partner_id",
                relationship_queries.company_values(
                    relationship_queries.stored_values(self.company.id),
                    REASON,
                    a_share=0.8,
                    b_share=0.95,
                ),
            )
        )
        ours = {row["partner_id"]: row for row in rows if row["partner_id"] in self.ids}
        # two customers with orders: R by recency (29 then 10 days), F and M
        # ascending; with two rows cume_dist is 0.5 and 1: scores 3 and 5
        self.assertEqual(
            ours[self.a.id],
            {
                "partner_id": self.a.id,
                "r": 3,
                "f": 5,
                "m": 5,
                # FM = floor((5 + 5 + 1) / 2) = 5, R = 3
                "segment": "loyal",
                # nothing before A's 600 of 650
                "tier": "A",
                # 29 / 71 days <= 1
                "risk": 0.0,
                "reason": "Last order 29 days ago, 0.4x the usual 71 days",
                # 200 * 365 / 71
                "clv": 1028.17,
            },
        )
        self.assertEqual(
            ours[self.b.id],
            {
                "partner_id": self.b.id,
                "r": 5,
                "f": 3,
                "m": 3,
                # FM = floor((3 + 3 + 1) / 2) = 3, R = 5
                "segment": "potential_loyalist",
                # 600 of 650 (92.3 %) before B
                "tier": "B",
                "risk": 0.0,
                "reason": "Last order 10 days ago, 0.0x the usual 521 days",
                # 50 * 365 / 521
                "clv": 35.03,
            },
        )
        self.assertEqual(
            ours[self.p.id],
            {
                "partner_id": self.p.id,
                "r": None,
                "f": None,
                "m": None,
                "segment": None,
                "tier": "C",
                "risk": None,
                "reason": None,
                "clv": None,
            },
        )

    def test_scope_and_queue(self):
        Queue = self.env["crm.relationship.queue"]
        self.env.cr.execute(SQL("DELETE FROM crm_relationship_queue"))
        self.env.cr.execute(relationship_queries.scope_insert([self.company.id]))
        # the company is due, and its drain lock is free (then held: taking it
        # again in the same transaction is allowed)
        self.assertEqual(
            self._rows(queue_queries.due_companies(NOW)),
            [{"company_id": self.company.id}],
        )
        for _i in range(2):
            self.assertEqual(
                self.env.execute_query(queue_queries.try_lock(self.company.id)),
                [(True,)],
            )
        # another company's customers are not taken
        self.assertFalse(
            self._rows(
                queue_queries.pending_customers(1000, NOW, [self.company.id + 1000])
            )
        )
        queued = self._rows(
            queue_queries.pending_customers(1000, NOW, [self.company.id])
        )
        # the three customers have orders, or are companies with customer rank
        # (A and B by their orders; the prospect has none and rank 0: out)
        self.assertEqual(
            {(r["partner_id"], r["company_id"]) for r in queued}
            & {(pid, self.company.id) for pid in self.ids},
            {(self.a.id, self.company.id), (self.b.id, self.company.id)},
        )
        self.env.cr.execute(
            queue_queries.append_customers({(self.a.id, self.company.id)})
        )
        self.assertEqual(
            self._rows(queue_queries.pending_count(NOW))[0]["count"], len(queued)
        )
        self.env.cr.execute(
            queue_queries.delete_drained(
                [(r["partner_id"], r["company_id"], r["max_id"]) for r in queued]
            )
        )
        # the entry appended after the read stays for the next call
        rows = self._rows(queue_queries.pending_customers(1000, NOW, [self.company.id]))
        self.assertEqual(
            [(r["partner_id"], r["company_id"], r["attempt"]) for r in rows],
            [(self.a.id, self.company.id, 0)],
        )
        # a failed customer waits for its retry time
        retry = datetime(2026, 6, 30, 12, 5)
        self.env.cr.execute(
            queue_queries.requeue_failed(
                [
                    (self.b.id, self.company.id, "ZeroDivisionError", 1, retry),
                    (
                        self.b.id,
                        self.company.id,
                        "ZeroDivisionError",
                        1,
                        datetime(2026, 6, 30, 12, 10),
                    ),
                ]
            )
        )
        due = self._rows(queue_queries.pending_customers(1000, NOW, [self.company.id]))
        self.assertEqual([r["partner_id"] for r in due], [self.a.id])
        self.assertEqual(self._rows(queue_queries.pending_count(NOW)), [{"count": 1}])
        later = self._rows(
            queue_queries.pending_customers(
                1000, datetime(2026, 6, 30, 12, 5), [self.company.id]
            )
        )
        self.assertEqual(
            {(r["partner_id"], r["attempt"]) for r in later},
            {(self.a.id, 0), (self.b.id, 1)},
        )
        Queue.invalidate_model()

    def test_lifecycle_rows(self):
        with freeze_time(NOW):
            self.Metrics._refresh(self.ids, self.company)
        rows = self.Metrics.search(
            [("partner_id", "in", self.ids), ("company_id", "=", self.company.id)]
        )
        locked = rows.filtered(lambda r: r.partner_id == self.b)
        locked.stage_locked = True
        unlocked = self._rows(
            lifecycle_queries.unlocked_rows(self.company.id, self.ids)
        )
        self.assertEqual(
            sorted(r["partner_id"] for r in unlocked), sorted([self.a.id, self.p.id])
        )
        stage = self.env.ref("crm_relationship.crm_relationship_stage_lost")
        row_a = rows.filtered(lambda r: r.partner_id == self.a)
        before = row_a.stage_id
        self.env.cr.execute(
            lifecycle_queries.history_insert(
                row_a.ids,
                [before.id],
                stage.id,
                stage.stage_type,
                "rule",
                self.env.uid,
                NOW,
                {self.company.id: AS_OF},
            )
        )
        history = self._rows(
            SQL(
                "SELECT stage_from_id, stage_to_id, stage_to_type, reason, day, "
                "metric_values FROM crm_relationship_stage_history "
                "WHERE partner_id = %s AND stage_to_id = %s",
                self.a.id,
                stage.id,
            )
        )
        self.assertEqual(
            history,
            [
                {
                    "stage_from_id": before.id,
                    "stage_to_id": stage.id,
                    "stage_to_type": "lost",
                    "reason": "rule",
                    "day": AS_OF,
                    "metric_values": "lifetime_order_count=3, recency_days=29, "
                    "tenure_days=171, rfm_frequency=3, churn_risk=75.0, "
                    "reactivation_date=False",
                }
            ],
        )
