# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ServiceCommon
from .test_privacy import (
    ANALYSIS,
    REPORTS,
    TestPrivacyData,
)


@tagged("post_install", "-at_install")
class TestPrivacyMore(TestPrivacyData, ServiceCommon):
    """More of the TestPrivacy tests, on the same data."""

    def test_all_documents_and_manager_see_everything(self):
        both = {self.order_a.id, self.order_b.id}
        for user in (self.rep_all, self.manager):
            for model in (
                "crm.order.service",
                "crm.order.line.service",
                *REPORTS,
            ):
                self.assertEqual(
                    self._visible(user, model), both, f"{user.login} {model}"
                )
            self.assertEqual(
                self._visible(user, "crm.relationship.metrics", "partner_id"),
                {self.customer.id, self.customer_b.id},
            )
        for report in REPORTS:
            revenue = self._as(self.manager, report).read_group(
                [("order_id", "in", (self.order_a | self.order_b).ids)],
                ["revenue:sum"],
                [],
            )
            # both orders: 10 units at 1.0 each
            self.assertEqual(revenue[0]["revenue"], 20.0, report)

    def test_other_company_sees_no_rows(self):
        for model in ANALYSIS:
            field = "partner_id" if model == "crm.relationship.metrics" else "order_id"
            self.assertEqual(self._visible(self.outsider, model, field), set(), model)
        partner = self.customer.with_user(self.outsider).with_company(
            self.other_company
        )
        values = partner.read(["lifetime_order_count", "service_order_count"])[0]
        self.assertEqual(values["lifetime_order_count"], 0)
        self.assertEqual(values["service_order_count"], 0)

    # ------------------------------------------------------------------
    # buttons and server actions queue, and need the relationship group
    # ------------------------------------------------------------------
    def test_recompute_button_queues(self):
        Queue = self.env["crm.relationship.queue"]
        before = Queue.search_count([("partner_id", "=", self.customer.id)])
        action = (
            self.customer.with_user(self.rep_a)
            .with_company(self.company)
            .action_relationship_refresh()
        )
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            Queue.search_count(
                [
                    ("partner_id", "=", self.customer.id),
                    ("company_id", "=", self.company.id),
                ]
            ),
            before + 1,
        )
        with self.assertRaises(AccessError):
            self.customer.with_user(self.stock_user).action_relationship_refresh()
        with self.assertRaises(AccessError):
            self.customer.with_user(self.portal).action_relationship_refresh()
