# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import RelationshipCommon
from .test_seed_stories import TestSeedStoriesData


@tagged("post_install", "-at_install")
class TestSeedStoriesMore(TestSeedStoriesData, RelationshipCommon):
    """More of the TestSeedStories tests, on the same data."""

    def test_price_conflict_window_and_block(self):
        old = self._quote(self.rep_a, 100)
        old.action_confirm()
        old.date_order = datetime(2025, 1, 1, 10, 0)  # long ago: out of window
        quote = self._quote(self.rep_b, 70)
        self.assertFalse(quote.price_conflict_warning)
        old.date_order = datetime.now()
        quote.invalidate_recordset(["price_conflict_warning"])
        self.assertTrue(quote.price_conflict_warning)
        quote.action_confirm()  # not blocked by default
        other = self._quote(self.rep_b, 60)
        self.company.price_conflict_block = True
        with self.assertRaises(UserError):
            other.action_confirm()
        self.assertEqual(other.state, "draft")

    # ------------------------------------------------------------------
    # Customer requests
    # ------------------------------------------------------------------
    def test_request_deadline_escalation_once(self):
        self.company.request_repair_hours = 48
        with freeze_time("2026-04-01 08:00:00"):
            request = self.Request.create(
                {
                    "name": "Repair the pump",
                    "partner_id": self.contact.id,
                    "request_type": "repair",
                    "user_id": self.rep_a.id,
                }
            )
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.contact_id, self.contact)
        self.assertEqual(request.date_deadline, datetime(2026, 4, 3, 8, 0))
        todo = self.env.ref("mail.mail_activity_data_todo")
        with freeze_time("2026-04-03 07:00:00"):
            self.assertFalse(request.is_overdue)
            self.assertFalse(self.Request._cron_escalate_overdue())
        with freeze_time("2026-04-03 09:00:00"):
            request.invalidate_recordset(["is_overdue"])
            self.assertTrue(request.is_overdue)
            self.assertEqual(self.Request._cron_escalate_overdue(), request)
            self.assertFalse(self.Request._cron_escalate_overdue())
        escalations = request.activity_ids.filtered(
            lambda a: a.activity_type_id == todo
        )
        self.assertEqual(len(escalations), 1)
        self.assertEqual(escalations.user_id, self.leader)
        with freeze_time("2026-04-03 10:00:00"):
            request.with_user(self.rep_a).message_post(
                body="We come tomorrow",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(request.first_response_date, datetime(2026, 4, 3, 10, 0))
        self.assertEqual(request.response_hours, 50.0)
        with freeze_time("2026-04-04 08:00:00"):
            request.action_solve()
        self.assertEqual(request.solved_date, datetime(2026, 4, 4, 8, 0))
        self.assertEqual(request.solve_hours, 72.0)

    def test_complaint_banner_and_churn_risk(self):
        with freeze_time("2026-06-01 10:00:00"):
            complaint = self.Request.create(
                {
                    "name": "Wrong colour delivered",
                    "partner_id": self.customer.id,
                    "request_type": "complaint",
                }
            )
        quote = self._quote(self.rep_a, 100)
        self.assertEqual(
            quote.request_warning,
            "Open complaint since 2026-06-01 (Wrong colour delivered): solve it "
            "before selling more.",
        )
        other_quote = self._quote(self.rep_a, 100, partner=self.other_customer)
        self.assertFalse(other_quote.request_warning)
        self._order(self.customer, "2026-06-10", 100)
        # 2026-06-10 + 20 days: complaint open 29 days > 7
        with freeze_time("2026-06-30 12:00:00"):
            self.Metrics._refresh(self.customer.ids, self.company)
            partner = self.customer.with_company(self.company)
            self.assertEqual(partner.open_complaint_count, 1)
            self.assertEqual(partner.open_complaint_days, 29)
            self.assertEqual(partner.request_open_count, 1)
            self.assertEqual(partner.churn_risk, 75.0)
            self.assertEqual(
                partner.churn_risk_reason, "Complaint open since 2026-06-01 (29 days)"
            )
            complaint.action_solve()
            quote.invalidate_recordset(["request_warning"])
            self.assertFalse(quote.request_warning)
            self.Metrics._refresh(self.customer.ids, self.company)
            self.assertEqual(partner.open_complaint_count, 0)
            self.assertLess(partner.churn_risk, 75.0)

    def test_request_from_email(self):
        self.env["res.partner"].create(
            {
                "name": "Mail Sender",
                "email": "sender@example.com",
                "parent_id": self.customer.id,
            }
        )
        message = (
            "From: Mail Sender <sender@example.com>\r\n"
            "To: requests@example.com\r\n"
            "Subject: Please call me back\r\n"
            "Message-ID: <seed-request-1@example.com>\r\n"
            "Content-Type: text/plain\r\n\r\n"
            "I emailed about the invoice.\r\n"
        )
        thread_id = (
            self.env["mail.thread"]
            .with_context(default_company_id=self.company.id)
            .message_process("crm.customer.request", message)
        )
        request = self.env["crm.customer.request"].browse(thread_id)
        self.assertEqual(request.name, "Please call me back")
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.state, "new")

    def test_request_bad_input_and_access(self):
        with self.assertRaises(ValidationError):
            self.Request.create(
                {
                    "name": "x",
                    "partner_id": self.customer.id,
                    "contact_id": self.other_customer.id,
                }
            )
        with self.assertRaises(ValidationError):
            self.company.request_complaint_hours = 0
        request = self.Request.with_user(self.rep_a).create(
            {"name": "Question", "partner_id": self.customer.id}
        )
        self.assertEqual(request.user_id, self.rep_a)
        outsider_requests = self.env["crm.customer.request"].with_user(
            new_test_user(
                self.env,
                login="seed_outsider",
                groups="sales_team.group_sale_manager",
                company_id=self.other_company.id,
                company_ids=[self.other_company.id],
            )
        )
        self.assertFalse(outsider_requests.search([("id", "=", request.id)]))

    # ------------------------------------------------------------------
    # Consent
    # ------------------------------------------------------------------
    def test_consent_state(self):
        partner = self.customer
        self.assertEqual(partner.relationship_consent, "ok")
        self.env["mail.blacklist"].create({"email": "seed.customer@example.com"})
        partner.invalidate_recordset(["is_blacklisted", "relationship_consent"])
        self.assertEqual(partner.relationship_consent, "blacklisted")
        self.assertFalse(partner._relationship_mail_recipients())
        self.assertEqual(self.contact.relationship_consent, "no_email")

    def test_form_shows_banners(self):
        self.Request.create(
            {
                "name": "Late again",
                "partner_id": self.customer.id,
                "request_type": "complaint",
            }
        )
        form = Form(self.env["sale.order"].with_company(self.company))
        form.partner_id = self.customer
        with form.order_line.new() as line:
            line.product_id = self.widget
        quote = form.save()
        self.assertIn("Open complaint since", quote.request_warning)
