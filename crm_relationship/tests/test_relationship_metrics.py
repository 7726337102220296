# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import RelationshipCommon


class TestRelationshipMetricsData:
    """The data and helpers of the TestRelationshipMetrics tests (a mixin: not a test
    case of its own, so the runner never runs it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-06-30 12:00:00"):
            cls._build()

    @classmethod
    def _build(cls):
        Partner = cls.env["res.partner"]
        cls.salesman = cls.env["res.users"].create(
            {
                "name": "Rel Salesman",
                "login": "rel_salesman",
                "groups_id": [
                    (6, 0, [cls.env.ref("sales_team.group_sale_salesman").id])
                ],
                "company_id": cls.company.id,
                "company_ids": [(6, 0, [cls.company.id])],
            }
        )
        cls.a = Partner.create({"name": "A Loyal", "is_company": True})
        cls.a_contact = Partner.create({"name": "A Buyer", "parent_id": cls.a.id})
        cls.b = Partner.create({"name": "B New EUR", "is_company": True})
        cls.c = Partner.create({"name": "C Lost", "is_company": True})
        cls.d = Partner.create({"name": "D Prospect", "is_company": True})
        cls.e = Partner.create({"name": "E New", "is_company": True})
        cls.f = Partner.create({"name": "F Won back", "is_company": True})
        cls.g = Partner.create(
            {"name": "G At risk", "is_company": True, "user_id": cls.salesman.id}
        )
        cls._order(cls.a, "2025-01-10", 100)
        cls._order(cls.a, "2026-03-01", 2000)
        cls._order(cls.a, "2026-04-30", 3000)
        cls._order(cls.a_contact, "2026-04-30", 50, product=cls.product_2)
        cls._order(cls.b, "2026-06-20", 1000, pricelist=cls.pricelist_eur)
        cls._order(cls.c, "2025-05-01", 100)
        cls._order(cls.c, "2025-05-31", 100)
        # D: a quotation only
        cls.env["sale.order"].create(
            {"partner_id": cls.d.id, "company_id": cls.company.id}
        )
        cls._order(cls.e, "2026-05-01", 200)
        cls._order(cls.f, "2024-12-01", 300)
        cls._order(cls.f, "2026-05-15", 300)
        cls._order(cls.g, "2026-01-01", 100)
        cls._order(cls.g, "2026-02-10", 100)
        cls._order(cls.g, "2026-03-22", 100)
        # cancelled orders do not count
        cancelled = cls._order(cls.a, "2026-06-29", 999)
        cancelled._action_cancel()
        cls.Metrics._cron_process_queue()

    def _row(self, partner):
        return self.Metrics.search(
            [("partner_id", "=", partner.id), ("company_id", "=", self.company.id)]
        )


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 12:00:00")
class TestRelationshipMetrics(TestRelationshipMetricsData, RelationshipCommon):
    """Hand-computed values of ../shared/METRICS.md sections 1 and 2.

    as_of = 2026-06-30, W = 365 days: window days are 2025-07-01 .. 2026-06-30.
    """

    def test_order_history_values(self):
        a = self._row(self.a)
        self.assertEqual(a.first_order_date, date(2025, 1, 10))
        self.assertEqual(a.last_order_date, date(2026, 4, 30))
        self.assertEqual(a.lifetime_order_count, 4)
        self.assertAlmostEqual(a.lifetime_revenue, 5150.0)
        self.assertAlmostEqual(a.average_order_value, 1287.5)
        self.assertEqual(a.recency_days, 61)
        self.assertEqual(a.tenure_days, 536)
        self.assertEqual(a.rfm_frequency, 3)
        self.assertAlmostEqual(a.rfm_monetary, 5050.0)
        self.assertAlmostEqual(a.purchase_interval_days, 237.5)
        self.assertEqual(a.expected_next_order_date, date(2026, 12, 24))
        self.assertEqual(a.reactivation_date, date(2026, 3, 1))
        self.assertEqual(a.contact_count, 2)
        self.assertEqual(a.product_category_count, 2)
        self.assertEqual(a.relationship_computed_on, date(2026, 6, 30))

    def test_settings_change_requeues_customers(self):
        Queue = self.env["crm.relationship.queue"]
        self.assertFalse(Queue.search([("company_id", "=", self.company.id)]))
        self.company.rfm_window_days = 90
        queued = Queue.search([("company_id", "=", self.company.id)]).partner_id
        customers = self.a | self.b | self.c | self.d | self.e | self.f | self.g
        self.assertEqual(queued & customers, customers)
        self.assertNotIn(self.a_contact, queued)
        self.Metrics._cron_process_queue()
        self.assertFalse(Queue.search([]))
        # window 2026-04-01 .. 2026-06-30: A's two orders of 2026-04-30
        a = self._row(self.a)
        self.assertEqual(a.rfm_frequency, 2)
        self.assertAlmostEqual(a.rfm_monetary, 3050.0)
        self.assertEqual(a.lifetime_order_count, 4)
        self.assertEqual(self._row(self.g).rfm_frequency, 0)
        self.assertEqual(self._row(self.b).rfm_frequency, 1)
        # the same value again, or another setting: nothing queued
        self.company.write({"rfm_window_days": 90, "price_conflict_days": 30})
        self.assertFalse(Queue.search([]))

    def test_currency_conversion(self):
        b = self._row(self.b)
        self.assertAlmostEqual(b.lifetime_revenue, 500.0)
        self.assertAlmostEqual(b.rfm_monetary, 500.0)
        self.assertFalse(b.purchase_interval_days)
        self.assertFalse(b.expected_next_order_date)
        self.assertEqual(b.recency_days, 10)

    def test_outside_window_and_prospect(self):
        c = self._row(self.c)
        self.assertEqual(c.rfm_frequency, 0)
        self.assertEqual(c.rfm_monetary, 0.0)
        self.assertEqual(c.recency_days, 395)
        self.assertAlmostEqual(c.purchase_interval_days, 30.0)
        self.assertEqual(c.expected_next_order_date, date(2025, 6, 30))
        self.assertFalse(c.reactivation_date)
        d = self._row(self.d)
        self.assertEqual(d.lifetime_order_count, 0)
        self.assertFalse(d.first_order_date)
        self.assertFalse(d.rfm_recency_score)
        self.assertEqual(d.value_tier, "C")
        f = self._row(self.f)
        self.assertEqual(f.reactivation_date, date(2026, 5, 15))
        self.assertEqual(f.expected_next_order_date, date(2027, 10, 27))

    def test_churn_risk(self):
        # company median interval of 30, 40, 237.5, 530 = 138.75
        expected = {
            self.a: (0.0, "Last order 61 days ago, 0.3x the usual 238 days"),
            self.b: (0.0, "Last order 10 days ago, 0.1x the usual 139 days"),
            self.c: (100.0, "Last order 395 days ago, 13.2x the usual 30 days"),
            self.e: (0.0, "Last order 60 days ago, 0.4x the usual 139 days"),
            self.g: (75.0, "Last order 100 days ago, 2.5x the usual 40 days"),
        }
        for partner, (risk, reason) in expected.items():
            row = self._row(partner)
            self.assertAlmostEqual(row.churn_risk, risk, msg=partner.name)
            self.assertEqual(row.churn_risk_reason, reason)

    def test_scores_segments_tiers_clv(self):
        # scored among the five customers with an order in W (C has none:
        # 1, 1, 1, lost). R by recency descending: G 100, A 61, E 60, F 46,
        # B 10 days: 1, 2, 3, 4, 5. F ascending: B, E, F 1 order (cume 3/5:
        # 3), A and G 3 (5). M ascending: E 200, F and G 300 (3/5: 3), B 500
        # (EUR 1000 at 2), A 5050: 1, 3, 3, 4, 5. FM = floor((F + M + 1) / 2)
        expected = {
            # partner: (R, F, M, segment, tier, clv)
            self.a: (2, 5, 5, "at_risk", "A", 1978.68),  # FM 5, R 2
            self.b: (5, 3, 4, "champions", "A", 1315.32),  # FM 4, R 5
            self.c: (1, 1, 1, "lost", "C", 0.0),
            self.e: (3, 3, 1, "about_to_sleep", "C", 526.13),  # FM 2, R 3
            self.f: (4, 3, 3, "potential_loyalist", "B", 206.60),  # FM 3, R 4
            self.g: (1, 5, 3, "cannot_lose", "B", 228.13),  # FM 4, R 1
        }
        for partner, (r, f, m, segment, tier, clv) in expected.items():
            row = self._row(partner)
            self.assertEqual(
                (
                    row.rfm_recency_score,
                    row.rfm_frequency_score,
                    row.rfm_monetary_score,
                ),
                (r, f, m),
                partner.name,
            )
            self.assertEqual(row.rfm_segment, segment, partner.name)
            self.assertEqual(row.value_tier, tier, partner.name)
            self.assertAlmostEqual(row.predicted_clv, clv, places=2, msg=partner.name)

    def test_value_at_risk(self):
        # predicted value x churn risk / 100 (values of the two tests above)
        expected = {
            self.a: 0.0,  # 1978.68 at 0 %
            self.c: 0.0,  # nothing predicted, at 100 %
            self.g: 171.10,  # 228.13 at 75 %
        }
        for partner, value in expected.items():
            self.assertAlmostEqual(
                self._row(partner).value_at_risk, value, delta=0.01, msg=partner.name
            )
        self.assertAlmostEqual(
            self.g.with_company(self.company).value_at_risk, 171.10, delta=0.01
        )

    def test_default_stages(self):
        expected = {
            self.a: "crm_relationship.crm_relationship_stage_loyal",
            self.b: "crm_relationship.crm_relationship_stage_new",
            self.c: "crm_relationship.crm_relationship_stage_lost",
            self.d: "crm_relationship.crm_relationship_stage_prospect",
            self.e: "crm_relationship.crm_relationship_stage_new",
            self.f: "crm_relationship.crm_relationship_stage_won_back",
            self.g: "crm_relationship.crm_relationship_stage_at_risk",
        }
        for partner, xmlid in expected.items():
            self.assertEqual(
                self._row(partner).stage_id, self.env.ref(xmlid), partner.name
            )
        history = self.env["crm.relationship.stage.history"].search(
            [("partner_id", "=", self.g.id)]
        )
        self.assertEqual(len(history), 1)
        self.assertEqual(history.reason, "rule")
        at_risk = self.env.ref("crm_relationship.crm_relationship_stage_at_risk")
        self.assertRecordValues(
            history,
            [
                {
                    "company_id": self.company.id,
                    "stage_from_id": False,
                    "stage_to_id": at_risk.id,
                    "stage_to_type": at_risk.stage_type,
                    "user_id": self.env.uid,
                    "day": date(2026, 6, 30),
                    # orders on 01-01, 02-10 and 03-22: 100 days since the last,
                    # 180 since the first, every 40 days, 2.5x late: risk 75
                    "metric_values": "lifetime_order_count=3, recency_days=100, "
                    "tenure_days=180, rfm_frequency=3, churn_risk=75.0, "
                    "reactivation_date=False",
                }
            ],
        )
        # the chatter note, as _message_log_batch writes it
        note = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.g.id),
                ("body", "ilike", "Relationship stage"),
            ]
        )
        self.assertRecordValues(
            note,
            [
                {
                    "message_type": "notification",
                    "subtype_id": self.env.ref("mail.mt_note").id,
                    "is_internal": True,
                    "author_id": self.env.user.partner_id.id,
                }
            ],
        )
        self.assertEqual(
            str(note.body),
            f"<p>Relationship stage in {self.company.name}: none → "
            f"{at_risk.name} (by rule)</p>",
        )
        self.assertIn(note, self.g.message_ids)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 12:00:00")
class TestStageMailFollowUp(RelationshipCommon):
    def test_mail_template_skips_blacklisted(self):
        # only the customers of this test are queued
        self.env["crm.relationship.queue"].search([]).unlink()
        template = self.env["mail.template"].create(
            {
                "name": "Welcome back",
                "model_id": self.env.ref("base.model_res_partner").id,
                "subject": "We missed you",
                "body_html": "<p>Hello</p>",
                "email_to": "{{ object.email }}",
            }
        )
        stage = self.env.ref("crm_relationship.crm_relationship_stage_new")
        stage.mail_template_id = template
        welcome = self.env["res.partner"].create(
            {"name": "Mail ok", "email": "ok@example.com"}
        )
        blocked = self.env["res.partner"].create(
            {"name": "Mail blocked", "email": "blocked@example.com"}
        )
        self.env["mail.blacklist"].create({"email": "blocked@example.com"})
        self._order(welcome, "2026-06-20", 10)
        self._order(blocked, "2026-06-20", 10)
        self.Metrics._cron_process_queue()
        mails = self.env["mail.mail"].search([("subject", "=", "We missed you")])
        self.assertEqual(mails.mapped("email_to"), ["ok@example.com"])

    def test_broken_template_keeps_the_move(self):
        """A mail template that does not render is recorded on the stage and
        skipped; the customers' values and stage moves are kept."""
        template = self.env["mail.template"].create(
            {
                "name": "Broken",
                "model_id": self.env.ref("base.model_res_partner").id,
                "subject": "Broken welcome",
                "body_html": '<p><t t-out="object.no_such_field"/></p>',
                "email_to": "{{ object.email }}",
            }
        )
        stage = self.env.ref("crm_relationship.crm_relationship_stage_new")
        stage.mail_template_id = template
        first = self.env["res.partner"].create(
            {"name": "Mail broken", "email": "broken@example.com"}
        )
        self._order(first, "2026-06-20", 10)
        logger = "odoo.addons.crm_relationship.models.crm_relationship_lifecycle_mixin"
        with self.assertLogs(logger, level="ERROR") as logs:
            self.Metrics._cron_process_queue()
        self.assertIn("failed, skipped", logs.output[0])
        partner = first.with_company(self.company)
        self.assertEqual(partner.relationship_stage_id, stage)
        self.assertEqual(partner.lifetime_order_count, 1)
        self.assertFalse(
            self.env["mail.mail"].search([("subject", "=", "Broken welcome")])
        )
        self.assertIn("no_such_field", stage.follow_up_error)
        self.assertEqual(stage.follow_up_error_date, datetime(2026, 6, 30, 12, 0))
        # repaired: the next customer gets the mail, the error is cleared
        template.body_html = "<p>Hello</p>"
        second = self.env["res.partner"].create(
            {"name": "Mail repaired", "email": "repaired@example.com"}
        )
        self._order(second, "2026-06-21", 10)
        self.Metrics._cron_process_queue()
        mails = self.env["mail.mail"].search([("subject", "=", "Broken welcome")])
        self.assertEqual(mails.mapped("email_to"), ["repaired@example.com"])
        self.assertFalse(stage.follow_up_error)

    def test_used_stage_cannot_be_deleted(self):
        from odoo.exceptions import UserError

        with self.assertRaises(UserError):
            self.env.ref("crm_relationship.crm_relationship_stage_new").unlink()
        unused = self.env["crm.relationship.stage"].create(
            {"name": "Unused", "stage_type": "active", "rule_domain": "[(0, '=', 1)]"}
        )
        unused.unlink()
        self.assertFalse(unused.exists())

    def test_negative_follow_up_delay_refused(self):
        stage = self.env.ref("crm_relationship.crm_relationship_stage_at_risk")
        with self.assertRaises(ValidationError):
            stage.activity_days = -1
        self.assertEqual(stage.activity_days, 2)
