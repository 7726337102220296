# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import RelationshipCommon


@tagged("post_install", "-at_install")
class TestSeedStories(RelationshipCommon):
    """The failures the CRM literature lists (issue #7), one test each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        user_vals = {"company_id": company.id, "company_ids": [company.id]}
        cls.rep_a = new_test_user(
            cls.env,
            login="seed_rep_a",
            name="Rep A",
            groups="sales_team.group_sale_salesman",
            **user_vals,
        )
        cls.rep_b = new_test_user(
            cls.env,
            login="seed_rep_b",
            name="Rep B",
            groups="sales_team.group_sale_salesman",
            **user_vals,
        )
        cls.leader = new_test_user(
            cls.env,
            login="seed_leader",
            name="Team Leader",
            groups="sales_team.group_sale_manager",
            **user_vals,
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Seed Team",
                "company_id": company.id,
                "user_id": cls.leader.id,
                "member_ids": [Command.link(cls.rep_a.id), Command.link(cls.rep_b.id)],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Seed Customer",
                "is_company": True,
                "company_id": company.id,
                "user_id": cls.rep_a.id,
                "email": "seed.customer@example.com",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Seed Buyer", "parent_id": cls.customer.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Seed Other", "company_id": company.id, "user_id": cls.rep_a.id}
        )
        cls.widget = cls.env["product.product"].create(
            {"name": "Seed Widget", "type": "consu", "list_price": 100.0}
        )
        cls.Request = cls.env["crm.customer.request"].with_company(company)
        cls.other_company = cls.env["res.company"].create({"name": "Seed Other Co"})

    def _quote(self, user, price, partner=None, product=None, discount=0.0):
        return (
            self.env["sale.order"]
            .with_company(self.company)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "company_id": self.company.id,
                    "user_id": user.id,
                    "pricelist_id": self.pricelist_usd.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": (product or self.widget).id,
                                "product_uom_qty": 2,
                                "price_unit": price,
                                "discount": discount,
                                "tax_id": False,
                            }
                        )
                    ],
                }
            )
        )

    # ------------------------------------------------------------------
    # Handover
    # ------------------------------------------------------------------
    def test_handover_moves_exactly_what_is_chosen(self):
        quote_a = self._quote(self.rep_a, 100)
        quote_b = self._quote(self.rep_b, 100)  # another rep's: stays
        order_a = self._quote(self.rep_a, 100)
        order_a.action_confirm()
        other = self._quote(self.rep_a, 100, partner=self.other_customer)
        act_partner = self.customer.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.rep_a.id, summary="Call back"
        )
        act_order = order_a.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.rep_a.id, summary="Ship"
        )
        act_other = other.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.rep_a.id, summary="Other"
        )
        request = self.Request.create(
            {
                "name": "Scratched casing",
                "partner_id": self.customer.id,
                "request_type": "complaint",
                "user_id": self.rep_a.id,
            }
        )
        wizard = (
            self.env["crm.handover.wizard"]
            .with_user(self.leader)
            .with_context(active_model="res.partner", active_ids=self.contact.ids)
            .create({"new_user_id": self.rep_b.id, "move_orders": False})
        )
        self.assertEqual(wizard.partner_ids, self.customer)
        self.assertIn("Scratched casing", wizard.note_preview)
        wizard.action_handover()
        self.assertEqual(self.customer.user_id, self.rep_b)
        self.assertEqual(quote_a.user_id, self.rep_b)
        self.assertEqual(quote_b.user_id, self.rep_b)
        self.assertEqual(order_a.user_id, self.rep_a, "orders were not chosen")
        self.assertEqual(other.user_id, self.rep_a, "another customer's quote")
        self.assertEqual(act_partner.user_id, self.rep_b)
        self.assertEqual(act_order.user_id, self.rep_a, "its order stayed")
        self.assertEqual(act_other.user_id, self.rep_a)
        self.assertIn(self.rep_b.partner_id, quote_a.message_partner_ids)
        self.assertNotIn(self.rep_a.partner_id, quote_a.message_partner_ids)
        self.assertIn(self.rep_b.partner_id, self.customer.message_partner_ids)
        log = self.env["crm.handover"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(log), 1)
        self.assertEqual(
            (
                log.from_user_id,
                log.to_user_id,
                log.quotation_count,
                log.order_count,
                log.activity_count,
            ),
            (self.rep_a, self.rep_b, 1, 0, 1),
        )
        # the note names the quote with product and price, and the complaint
        self.assertIn(quote_a.name, log.note)
        self.assertIn("2.0 x Seed Widget at $&nbsp;100.00", log.note)
        self.assertIn("Scratched casing", log.note)
        message = self.customer.message_ids[0]
        self.assertIn("Handover from Rep A to Rep B", message.body)
        self.assertIn(self.rep_b.partner_id, message.partner_ids)
        self.assertEqual(request.user_id, self.rep_a, "requests keep their owner")
        self.assertFalse(log.ordered_again)

    def test_handover_continuity_and_plan(self):
        plan = self.env["mail.activity.plan"].create(
            {
                "name": "Meet the new rep",
                "res_model": "res.partner",
                "template_ids": [
                    Command.create(
                        {
                            "activity_type_id": self.env.ref(
                                "mail.mail_activity_data_call"
                            ).id,
                            "summary": "Introduce yourself",
                            "responsible_type": "on_demand",
                        }
                    )
                ],
            }
        )
        with freeze_time("2026-03-01 09:00:00"):
            self.env["crm.handover.wizard"].with_user(self.leader).create(
                {
                    "partner_ids": [Command.set(self.customer.ids)],
                    "new_user_id": self.rep_b.id,
                    "plan_id": plan.id,
                }
            ).action_handover()
        intro = self.customer.activity_ids.filtered(
            lambda a: a.summary == "Introduce yourself"
        )
        self.assertEqual(intro.user_id, self.rep_b)
        log = self.env["crm.handover"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(str(log.date), "2026-03-01 09:00:00")
        self.assertFalse(log.ordered_again)
        self._order(self.customer, "2026-05-29", 50)  # day 89: within 90 days
        log.invalidate_recordset(["ordered_again"])
        self.assertTrue(log.ordered_again)

    def test_handover_rights_and_bad_input(self):
        wizard = self.env["crm.handover.wizard"].create(
            {
                "partner_ids": [Command.set(self.customer.ids)],
                "new_user_id": self.rep_a.id,
            }
        )
        with self.assertRaises(UserError):
            wizard.action_handover()  # already their salesperson
        with self.assertRaises(UserError):
            wizard.with_user(self.rep_b).write({"new_user_id": self.rep_b.id})
            wizard.with_user(self.rep_b).action_handover()
        self.assertEqual(self.customer.user_id, self.rep_a)

    # ------------------------------------------------------------------
    # Commitments across reps
    # ------------------------------------------------------------------
    def test_commitments_list_open_promises(self):
        quote_a = self._quote(self.rep_a, 100)
        quote_b = self._quote(self.rep_b, 90)
        order = self._quote(self.rep_a, 95)
        order.write({"commitment_date": datetime(2026, 12, 10, 12, 0)})
        order.action_confirm()
        self._quote(self.rep_b, 80).action_cancel()  # not open: not listed
        activity = self.customer.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.rep_b.id, summary="Visit"
        )
        request = self.Request.create(
            {
                "name": "Pump repair",
                "partner_id": self.contact.id,
                "request_type": "repair",
                "user_id": self.rep_a.id,
            }
        )
        # the scheduled action has run (with crm_supply_chain_link, the order's
        # promise state is computed there)
        self.env["crm.relationship.metrics"]._cron_process_queue()
        Commitment = self.env["crm.commitment"]
        rows = Commitment.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            sorted(
                (r.kind, r.order_id.id or r.request_id.id or r.activity_id.id)
                for r in rows
            ),
            sorted(
                [
                    ("quote", quote_a.id),
                    ("quote", quote_b.id),
                    ("promise", order.id),
                    ("activity", activity.id),
                    ("request", request.id),
                ]
            ),
        )
        quote_row = rows.filtered(lambda r: r.order_id == quote_b)
        self.assertEqual(
            (quote_row.user_id, quote_row.price_unit, quote_row.product_id),
            (self.rep_b, 90.0, self.widget),
        )
        # a salesperson sees their own promises, a manager all of them
        mine = Commitment.with_user(self.rep_a).search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(set(mine.mapped("user_id")), {self.rep_a})
        self.assertEqual(
            Commitment.with_user(self.leader).search_count(
                [("partner_id", "=", self.customer.id)]
            ),
            5,
        )

    # ------------------------------------------------------------------
    # Consistent quotes
    # ------------------------------------------------------------------
    def test_price_conflict_around_tolerance_and_window(self):
        self.company.price_conflict_tolerance_percent = 5
        self.company.price_conflict_days = 30
        quote_a = self._quote(self.rep_a, 100)
        same_rep = self._quote(self.rep_a, 80)  # same salesperson: no conflict
        self.assertFalse(same_rep.price_conflict_warning)
        same_rep.action_cancel()
        within = self._quote(self.rep_b, 105)  # 5 % apart: not beyond 5 %
        self.assertFalse(within.price_conflict_warning)
        beyond = self._quote(self.rep_b, 94)  # 6 % below rep A's 100
        self.assertEqual(
            beyond.price_conflict_warning,
            f"Seed Widget: $\xa094.00 here, $\xa0100.00 on {quote_a.name} by Rep A "
            f"({quote_a.date_order.date()}), 6.0 % apart.",
        )
        discounted = self._quote(self.rep_b, 100, discount=10)  # net 90
        self.assertIn("10.0 % apart", discounted.price_conflict_warning)
        # rep A's 100 is now 6.38 % above rep B's 94 (and 11.11 % above 90)
        quote_a.invalidate_recordset(["price_conflict_warning"])
        self.assertIn("11.11 % apart", quote_a.price_conflict_warning)
        managers = self.env["crm.price.conflict"].with_user(self.leader)
        self.assertEqual(
            set(managers.search([("partner_id", "=", self.customer.id)]).order_id.ids),
            {quote_a.id, beyond.id, discounted.id},
        )
        rep_b_view = (
            self.env["crm.price.conflict"]
            .with_user(self.rep_b)
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertEqual(set(rep_b_view.order_id.ids), {beyond.id, discounted.id})

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
