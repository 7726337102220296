# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.base.tests.common import BaseCommon

from ..engine import money_queries


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 12:00:00")
class TestOverdueReceivable(BaseCommon):
    """The overdue receivable of ../shared/METRICS.md section 7, hand-computed,
    in the main company (it has a chart of accounts). Today is 2026-06-30."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.partner_id.tz = "UTC"
        cls.customer = cls.env["res.partner"].create(
            {"name": "Receivable Customer", "is_company": True}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Its buyer", "parent_id": cls.customer.id}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Receivable service", "type": "service"}
        )

    def _move(self, move_type, amount, due, partner=None):
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": (partner or self.customer).id,
                "invoice_date": "2026-05-01",
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _pay(self, move, amount):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({"amount": amount, "payment_date": "2026-06-20"})._create_payments()

    def _overdue(self):
        self.env["crm.relationship.metrics"]._refresh(self.customer.ids, self.company)
        return self.customer.with_company(self.company).overdue_receivable

    def test_overdue_receivable(self):
        self.assertEqual(self._overdue(), 0.0, "no invoice: 0")
        past = self._move("out_invoice", 100.0, "2026-06-01")
        self._move("out_invoice", 50.0, "2026-07-15")  # not due yet
        partly = self._move("out_invoice", 80.0, "2026-06-10", partner=self.contact)
        self._move("out_refund", 20.0, "2026-06-05")
        self._pay(partly, 30.0)
        self.assertEqual(partly.payment_state, "partial")
        # 100 + (80 - 30) - 20; the contact's invoice counts for its company
        self.assertAlmostEqual(self._overdue(), 130.0)
        # the engine's statement alone, for this customer and one without
        # any invoice
        other = self.env["res.partner"].create({"name": "No invoice"})
        self.env.flush_all()
        rows = self.env.execute_query(
            money_queries.overdue_receivables(
                [self.customer.id, other.id], self.company.id, date(2026, 6, 30)
            )
        )
        self.assertEqual(
            sorted(rows), sorted([(self.customer.id, 130.0), (other.id, 0)])
        )
        # due the day itself: not overdue yet
        rows = self.env.execute_query(
            money_queries.overdue_receivables(
                [self.customer.id], self.company.id, date(2026, 6, 1)
            )
        )
        self.assertEqual(rows, [(self.customer.id, 0)])
        # a payment queues the customer; once computed, the paid invoice is out
        queue = self.env["crm.relationship.queue"]
        queue.search([]).unlink()
        self._pay(past, 100.0)
        self.assertIn(past.payment_state, ("paid", "in_payment"))
        self.assertIn(
            (self.customer.id, self.company.id),
            [(q.partner_id.id, q.company_id.id) for q in queue.search([])],
        )
        self.env["crm.relationship.metrics"]._cron_process_queue()
        self.assertAlmostEqual(
            self.customer.with_company(self.company).overdue_receivable, 30.0
        )
