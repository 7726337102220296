# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import RelationshipCommon
from .test_low_code_guards import TestLowCodeGuardsData


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 12:00:00")
class TestLowCodeGuardsMore(TestLowCodeGuardsData, RelationshipCommon):
    """More of the TestLowCodeGuards tests, on the same data."""

    # ---- users and rights ----------------------------------------------
    def test_follow_ups_only_to_active_internal_users(self):
        for user in (self.portal, self.archived):
            with (
                self.subTest(user=user.login),
                self._refused(ValidationError, "active internal users"),
            ):
                self.stage.activity_user_id = user
        # a customer whose salesperson left: the activity goes to the chosen
        # user, never to the archived one
        self.stage.write(
            {
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "activity_user_mode": "salesperson",
                "activity_user_id": self.manager.id,
                "activity_days": 3,
                "rule_domain": "[('lifetime_order_count', '>=', 1)]",
            }
        )
        customer = self.env["res.partner"].create(
            {"name": "Left", "user_id": self.archived.id, "customer_rank": 1}
        )
        self._order(customer, "2026-06-01", 10.0)
        self.Metrics._refresh(customer.ids, self.company)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", customer.id)]
        )
        self.assertEqual(activities.user_id, self.manager)
        self.assertEqual(activities.date_deadline, date(2026, 7, 3))

    def test_follow_ups_batched_per_user(self):
        """One activity_schedule call per user (and summary), whatever the
        number of customers: two of one salesperson, one whose salesperson
        left (the chosen user takes it)."""
        self.stage.write(
            {
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "activity_user_mode": "salesperson",
                "activity_user_id": self.manager.id,
                "rule_domain": "[('lifetime_order_count', '>=', 1)]",
            }
        )
        Partner = self.env["res.partner"]
        customers = Partner.create(
            [
                {"name": "Batch 1", "user_id": self.own_salesman.id},
                {"name": "Batch 2", "user_id": self.own_salesman.id},
                {"name": "Batch 3", "user_id": self.archived.id},
            ]
        )
        for customer in customers:
            self._order(customer, "2026-06-01", 10.0)
        calls = []
        original = type(Partner).activity_schedule

        def counting(records, *args, **kwargs):
            calls.append((kwargs["user_id"], set(records.ids)))
            return original(records, *args, **kwargs)

        with patch.object(type(Partner), "activity_schedule", counting):
            self.Metrics._refresh(customers.ids, self.company)
        self.assertEqual(
            sorted(calls),
            sorted(
                [
                    (self.own_salesman.id, set(customers[:2].ids)),
                    (self.manager.id, set(customers[2:].ids)),
                ]
            ),
        )

    def test_handover_only_to_active_internal_users(self):
        Wizard = self.env["crm.handover.wizard"].with_user(self.manager)
        for user in (self.portal, self.archived):
            wizard = Wizard.with_company(self.company).create(
                {"partner_ids": [(6, 0, self.mine.ids)], "new_user_id": user.id}
            )
            with (
                self.subTest(user=user.login),
                self._refused(UserError, "active internal user"),
            ):
                wizard.action_handover()
        self.assertEqual(self.mine.user_id, self.own_salesman)
        # handover records come from the wizard only
        with self.assertRaises(AccessError):
            self.env["crm.handover"].with_user(self.manager).create(
                {"partner_id": self.mine.id, "to_user_id": self.manager.id}
            )

    def test_salesperson_limited_to_own_customers(self):
        self.Metrics._refresh((self.mine | self.theirs).ids, self.company)
        new = self.env.ref("crm_relationship.crm_relationship_stage_new")
        theirs = self.theirs.with_user(self.own_salesman).with_company(self.company)
        with self.assertRaises(AccessError):
            theirs.write({"relationship_stage_id": new.id})
        with self.assertRaises(AccessError):
            theirs.action_relationship_unlock()
        # their own customer: allowed
        mine = self.mine.with_user(self.own_salesman).with_company(self.company)
        mine.write({"relationship_stage_id": new.id})
        row = self.mine.with_company(self.company).relationship_metrics_id
        self.assertEqual((row.stage_id, row.stage_locked), (new, True))
        mine.action_relationship_unlock()
        self.assertFalse(row.stage_locked)

    def test_escalation_is_not_set_by_hand(self):
        request = (
            self.env["crm.customer.request"]
            .with_user(self.own_salesman)
            .with_company(self.company)
            .create({"name": "Pump broken", "partner_id": self.mine.id})
        )
        with self._refused(AccessError, "scheduled action only"):
            request.write({"escalated": True})
        self.assertFalse(request.escalated)

    def test_request_dates(self):
        Request = self.env["crm.customer.request"].with_company(self.company)
        with self._refused(ValidationError, "cannot be before"):
            Request.create(
                {
                    "name": "Due first",
                    "partner_id": self.mine.id,
                    "request_date": "2026-06-20 10:00:00",
                    "date_deadline": "2026-06-19 10:00:00",
                }
            )
        with self._refused(ValidationError, "needs a customer"):
            Request.create({"name": "Nobody"})
        # received later than now (a clock ahead): the first answer is not
        # before it, so the response time is never negative
        request = Request.create(
            {
                "name": "Ahead",
                "partner_id": self.mine.id,
                "request_date": "2026-06-30 13:00:00",
            }
        )
        request.action_start()
        self.assertEqual(request.first_response_date, datetime(2026, 6, 30, 13, 0))
        self.assertEqual(request.response_hours, 0.0)

    def test_alert_kept_until_the_rule_runs_again(self):
        """A rule's alert goes when the rule runs without error, not when the
        rules before it took every customer and it did not run at all."""
        customer = self.env["res.partner"].create({"name": "Alert", "customer_rank": 1})
        self._order(customer, "2026-06-01", 10.0)
        # the guarded stage (sequence 1) takes every customer with an order
        self.stage.rule_domain = "[('lifetime_order_count', '>=', 1)]"
        later = self.Stage.create(
            {
                "name": "Later",
                "stage_type": "active",
                "sequence": 2,
                "company_id": self.company.id,
                "rule_domain": "[('lifetime_order_count', '>=', 1)]",
            }
        )
        later._record_rule_error(ValueError("broken before"))
        self.Metrics._refresh(customer.ids, self.company)
        row = customer.with_company(self.company).relationship_metrics_id
        self.assertEqual(row.stage_id, self.stage)
        self.assertFalse(self.stage.rule_error)
        self.assertEqual(later.rule_error, "broken before")
        # its turn comes: it runs, and the alert goes
        self.stage.rule_domain = "[('lifetime_order_count', '>=', 100)]"
        self.Metrics._refresh(customer.ids, self.company)
        self.assertEqual(row.stage_id, later)
        self.assertFalse(later.rule_error)
