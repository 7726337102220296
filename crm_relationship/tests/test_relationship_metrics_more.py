# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import RelationshipCommon
from .test_relationship_metrics import TestRelationshipMetricsData


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 12:00:00")
class TestRelationshipMetricsMore(TestRelationshipMetricsData, RelationshipCommon):
    """More of the TestRelationshipMetrics tests, on the same data."""

    def test_stage_entry_activity(self):
        activity = self.g.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(activity.date_deadline, date(2026, 7, 2))
        self.assertFalse(self.a.activity_ids)

    def test_partner_fields_read_current_company(self):
        a = self.a.with_company(self.company)
        self.assertEqual(a.lifetime_order_count, 4)
        self.assertEqual(
            self.a_contact.with_company(self.company).lifetime_order_count, 4
        )
        found = (
            self.env["res.partner"]
            .with_company(self.company)
            .search([("churn_risk", ">=", 50), ("id", "in", (self.c | self.g).ids)])
        )
        self.assertEqual(found, self.c | self.g)

    def test_manual_stage_lock(self):
        a = self.a.with_company(self.company)
        lost = self.env.ref("crm_relationship.crm_relationship_stage_lost")
        a.relationship_stage_id = lost
        row = self._row(self.a)
        self.assertEqual(row.stage_id, lost)
        self.assertTrue(row.stage_locked)
        self.Metrics._refresh(self.a.ids, self.company)
        self.assertEqual(row.stage_id, lost, "a stage set by hand is kept")
        last = self.env["crm.relationship.stage.history"].search(
            [("partner_id", "=", self.a.id)], limit=1
        )
        self.assertEqual(last.reason, "user")
        a.action_relationship_unlock()
        self.assertFalse(row.stage_locked)
        self.assertEqual(
            row.stage_id, self.env.ref("crm_relationship.crm_relationship_stage_loyal")
        )

    def test_multi_company_separation(self):
        company_2 = self.env["res.company"].create({"name": "Rel Co 2"})
        company_2.partner_id.tz = "Asia/Shanghai"
        # 2026-05-31 20:00 UTC is 2026-06-01 04:00 in Shanghai
        self._order(self.a, datetime(2026, 5, 31, 20, 0), 70, company=company_2)
        self.Metrics._cron_process_queue()
        row_2 = self.Metrics.search(
            [("partner_id", "=", self.a.id), ("company_id", "=", company_2.id)]
        )
        self.assertEqual(row_2.last_order_date, date(2026, 6, 1))
        self.assertEqual(row_2.recency_days, 29)
        self.assertEqual(row_2.lifetime_order_count, 1)
        self.assertEqual(self._row(self.a).lifetime_order_count, 4)
        self.assertEqual(self.a.with_company(company_2).lifetime_revenue, 70.0)
        self.assertEqual(self.a.with_company(self.company).lifetime_revenue, 5150.0)

    def test_bad_input(self):
        stage = self.env.ref("crm_relationship.crm_relationship_stage_active")
        with self.assertRaises(ValidationError):
            stage.rule_domain = "[('no_such_field', '=', 1)]"
        with self.assertRaises(ValidationError):
            stage.rule_domain = "[('lifetime_order_count', '>', "
        with self.assertRaises(ValidationError):
            self.company.rfm_window_days = 0
        with self.assertRaises(ValidationError):
            self.company.value_tier_a_percent = 96.0
        self.assertEqual(stage.rule_domain, "[('lifetime_order_count', '>=', 1)]")

    def test_rule_preview(self):
        lost = self.env.ref("crm_relationship.crm_relationship_stage_lost")
        action = lost.with_company(self.company).action_preview()
        found = (
            self.env["res.partner"].with_company(self.company).search(action["domain"])
        )
        self.assertEqual(found, self.c, "C only: its contact and others are out")
