# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""RFM scores among the customers active in the window (METRICS.md section
1): a customer with orders, none in the window, scores 1, 1, 1 (lost)."""

from freezegun import freeze_time

from odoo.modules.migration import load_script
from odoo.tests import tagged

from .common import RelationshipCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 12:00:00")
class TestRfmWindow(RelationshipCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # window W: 2025-07-01 to 2026-06-30 (365 days)
        cls.a = Partner.create({"name": "RFM A", "customer_rank": 1})
        for day in ("2026-04-01", "2026-05-01", "2026-06-01"):
            cls._order(cls.a, day, 100.0)
        cls.b = Partner.create({"name": "RFM B", "customer_rank": 1})
        cls._order(cls.b, "2026-03-01", 50.0)
        # gone for years, with more revenue ever than A and B together
        cls.c = Partner.create({"name": "RFM C", "customer_rank": 1})
        cls._order(cls.c, "2024-01-01", 1000.0)
        cls.d = Partner.create({"name": "RFM D", "customer_rank": 1})
        cls._order(cls.d, "2025-01-01", 500.0)
        cls.customers = cls.a | cls.b | cls.c | cls.d

    def _scores(self, partner):
        row = partner.with_company(self.company).relationship_metrics_id
        return (
            row.rfm_recency_score,
            row.rfm_frequency_score,
            row.rfm_monetary_score,
            row.rfm_segment,
        )

    def test_scores_among_active_customers(self):
        self.Metrics._refresh(self.customers.ids, self.company)
        # active: A (recency 29, 3 orders, 300) and B (recency 121, 1 order,
        # 50); with two rows cume_dist is 0.5 and 1: scores 3 and 5.
        # A: FM = floor((5 + 5 + 1) / 2) = 5, R 5: champions;
        # B: FM = floor((3 + 3 + 1) / 2) = 3, R 3: need_attention
        self.assertEqual(self._scores(self.a), (5, 5, 5, "champions"))
        self.assertEqual(self._scores(self.b), (3, 3, 3, "need_attention"))
        # C and D: no order in W: 1, 1, 1, FM 1 and R 1: lost (scored with
        # the active ones, as before, both had F = M = 3, FM 3, and R 2 and
        # 3: at_risk and need_attention)
        self.assertEqual(self._scores(self.c), (1, 1, 1, "lost"))
        self.assertEqual(self._scores(self.d), (1, 1, 1, "lost"))
        row_c = self.c.with_company(self.company).relationship_metrics_id
        self.assertEqual(row_c.recency_days, 911)
        self.assertEqual(row_c.rfm_frequency, 0)

    def test_migration_queues_every_customer(self):
        Queue = self.env["crm.relationship.queue"]
        Queue.search([]).unlink()
        script = load_script(
            "crm_relationship/migrations/18.0.1.5.0/post-migration.py",
            "crm_relationship_post_migration_1_5",
        )
        script.migrate(self.env.cr, None)  # a new install: nothing to do
        self.assertFalse(Queue.search_count([]))
        script.migrate(self.env.cr, "18.0.1.4.0")
        queued = Queue.search([("company_id", "=", self.company.id)])
        self.assertLessEqual(self.customers, queued.partner_id)
