# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import RelationshipCommon


class TestSeedStoriesData:
    """The data and helpers of the TestSeedStories tests (a mixin: not a test
    case of its own, so the runner never runs it)."""

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


@tagged("post_install", "-at_install")
class TestSeedStories(TestSeedStoriesData, RelationshipCommon):
    """The failures the CRM literature lists (issue #7), one test each."""

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
