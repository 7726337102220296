# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Stage dates and follow-up deadlines are days of the company's time zone
(METRICS.md section 0), whoever runs the computation."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import RelationshipCommon


@tagged("post_install", "-at_install")
class TestTimeZone(RelationshipCommon):
    def test_stage_date_and_deadline_in_company_time_zone(self):
        self.company.partner_id.tz = "Asia/Shanghai"
        # the user running the computation is in another time zone
        self.env.user.tz = "America/New_York"
        user = new_test_user(
            self.env,
            login="tz_user",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        stage = self.env["crm.relationship.stage"].create(
            {
                "name": "Shanghai customers",
                "stage_type": "active",
                "sequence": 1,
                "company_id": self.company.id,
                "rule_domain": "[('lifetime_order_count', '>=', 1)]",
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "activity_user_mode": "user",
                "activity_user_id": user.id,
                "activity_days": 2,
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Shanghai buyer", "customer_rank": 1}
        )
        self._order(customer, "2026-06-29", 100.0)
        # 23:30 UTC on 2026-06-30 is 07:30 on 2026-07-01 in Shanghai (and
        # 19:30 on 2026-06-30 in New York)
        with freeze_time("2026-06-30 23:30:00"):
            self.Metrics._refresh(customer.ids, self.company)
        row = customer.with_company(self.company).relationship_metrics_id
        self.assertEqual(row.stage_id, stage)
        self.assertEqual(row.relationship_computed_on, date(2026, 7, 1))
        self.assertEqual(row.stage_date, date(2026, 7, 1))
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", customer.id)]
        )
        self.assertEqual(activity.date_deadline, date(2026, 7, 3))
        history = self.env["crm.relationship.stage.history"].search(
            [("partner_id", "=", customer.id), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(history.mapped("day"), [date(2026, 7, 1)])


@tagged("post_install", "-at_install")
class TestRuleOnMetrics(RelationshipCommon):
    """A rule whose every leaf reads our values runs as one query on the
    values table (``_rule_on_metrics``); it must take the customers the ORM
    search on contacts takes, also for negative operators and empty values."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.active = Partner.create({"name": "Rule active", "customer_rank": 1})
        cls.gone = Partner.create({"name": "Rule gone", "customer_rank": 1})
        cls.prospect = Partner.create({"name": "Rule prospect", "customer_rank": 1})
        with freeze_time("2026-06-30 12:00:00"):
            cls._order(cls.active, "2026-06-01", 100.0)
            cls._order(cls.gone, "2024-01-01", 100.0)
            cls.customers = cls.active | cls.gone | cls.prospect
            cls.Metrics._refresh(cls.customers.ids, cls.company)

    def test_equivalent_to_the_orm_search(self):
        ids = set(self.customers.ids)
        Partner = self.env["res.partner"].with_company(self.company)
        for domain, expected in (
            # the one active customer scores 5, 5, 5 (champions), the gone
            # one 1, 1, 1 (lost), the prospect has no segment
            ([("rfm_segment", "!=", "lost")], self.active | self.prospect),
            ([("rfm_segment", "not in", ["lost", "champions"])], self.prospect),
            ([("rfm_segment", "=", False)], self.prospect),
            ([("rfm_frequency", "=", 0)], None),
            ([("churn_risk", "=", False)], None),
            ([("churn_risk", "!=", 0)], None),
            (["!", ("rfm_segment", "=", "lost")], self.active | self.prospect),
        ):
            with self.subTest(domain=domain):
                self.assertIsNotNone(self.Metrics._rule_on_metrics(domain))
                on_metrics = self.Metrics._match_rule(ids, domain, self.company)
                by_orm = set(Partner.search([("id", "in", list(ids))] + domain).ids)
                self.assertEqual(on_metrics, by_orm)
                if expected is not None:
                    self.assertEqual(on_metrics, set(expected.ids))
        # the gone customer has no order in the window: frequency 0
        self.assertIn(
            self.gone.id,
            self.Metrics._match_rule(ids, [("rfm_frequency", "=", 0)], self.company),
        )
