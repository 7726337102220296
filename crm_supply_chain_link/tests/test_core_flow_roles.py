# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Users who may do a core action but not read our data or the order (an
inventory user without sales rights, an inventory administrator who is a
salesperson limited to own documents) validate deliveries, returns and credit
notes of another salesperson's order: the action succeeds as without our
addons, and the figures are right afterwards."""

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import ServiceCommon


@tagged("post_install", "-at_install")
class TestCoreFlowRoles(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        common = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.rep = new_test_user(
            cls.env, login="flow_rep", groups="sales_team.group_sale_salesman", **common
        )
        cls.stock_user = new_test_user(
            cls.env,
            login="flow_stock",
            groups="stock.group_stock_user,account.group_account_invoice",
            **common,
        )
        cls.stock_admin_own_sales = new_test_user(
            cls.env,
            login="flow_stock_admin",
            groups="stock.group_stock_manager,sales_team.group_sale_salesman,"
            "account.group_account_invoice",
            **common,
        )
        cls.customer.user_id = cls.rep
        cls.product.invoice_policy = "delivery"

    def _rep_order(self):
        order = self._order(qty=10)
        order.user_id = self.rep
        return order

    def _validate(self, user, picking, qty, day, backorder):
        """Validate as ``user`` through the button and its backorder wizard."""
        with freeze_time(f"{day} 15:00:00"):
            picking = picking.with_user(user)
            for move in picking.move_ids:
                move.quantity = qty
                move.picked = True
            action = picking.button_validate()
            if action is not True:
                wizard = Form.from_action(self.env(user=user), action).save()
                if backorder:
                    wizard.process()
                else:
                    wizard.process_cancel_backorder()
            self._drain()

    def _return_as(self, user, picking, qty, day):
        with freeze_time(f"{day} 15:00:00"):
            wizard = (
                self.env["stock.return.picking"]
                .with_user(user)
                .with_context(active_id=picking.id, active_model="stock.picking")
                .create({})
            )
            wizard.product_return_moves.quantity = qty
            ret = self.env["stock.picking"].browse(
                wizard.action_create_returns()["res_id"]
            )
            ret = ret.with_user(user)
            ret.move_ids.quantity = qty
            ret.move_ids.picked = True
            ret.button_validate()
            self._drain()

    def _refund_as(self, user, order, day):
        """The order invoiced by the accountant, a credit note posted by ``user``."""
        with freeze_time(f"{day} 10:00:00"):
            invoice = order._create_invoices()
            invoice.action_post()
            refund = invoice.with_user(user)._reverse_moves()
            refund.with_user(user).action_post()
            self._drain()
        return refund

    def _flows(self, user):
        full = self._rep_order()
        if user.has_group("sales_team.group_sale_salesman"):
            # limited to own documents: the order is another salesperson's
            with self.assertRaises(AccessError):
                full.with_user(user).check_access("read")
        # 1. delivered 6 then 4 from the backorder, both by the due day; 2
        # returned; a credit note posted: on time and in full, not perfect
        self._validate(user, full.picking_ids, 6, "2026-03-04", backorder=True)
        backorder = full.picking_ids.filtered(lambda p: p.state != "done")
        self.assertEqual(len(backorder), 1)
        self._validate(user, backorder, 4, "2026-03-05", backorder=True)
        first = full.picking_ids.filtered(lambda p: p.backorder_ids)
        self._return_as(user, first, 2, "2026-03-06")
        refund = self._refund_as(user, full, "2026-03-07")
        self.assertEqual(refund.state, "posted")
        self.assertRecordValues(
            full.service_id,
            [
                {
                    "service_level_state": "on_time",
                    "is_in_full": True,
                    "is_otif": True,
                    "fill_rate": 100.0,
                    "return_rate": 20.0,
                    "is_perfect_order": False,
                }
            ],
        )
        # 2. delivered 6 by the due day, backorder cancelled: on time, short
        short = self._rep_order()
        self._validate(user, short.picking_ids, 6, "2026-03-05", backorder=False)
        self.assertEqual(short.picking_ids.mapped("state"), ["done"])
        self.assertRecordValues(
            short.service_id,
            [
                {
                    "service_level_state": "on_time",
                    "is_in_full": False,
                    "is_otif": False,
                    "fill_rate": 60.0,
                    "return_rate": 0.0,
                }
            ],
        )
        with freeze_time("2026-03-20 12:00:00"):
            self.env["crm.relationship.metrics"]._cron_process_queue()
            partner = self.customer.with_company(self.company)
            partner.invalidate_recordset()
            self.assertEqual(partner.service_order_count, 2)
            # one OTIF of two; on time 10 + 6 of 20 ordered; returned 2 of 16
            self.assertAlmostEqual(partner.service_otif_rate, 50.0)
            self.assertAlmostEqual(partner.service_fill_rate, 80.0)
            self.assertAlmostEqual(partner.service_return_rate, 12.5)
            self.assertAlmostEqual(partner.service_in_full_rate, 50.0)
            self.assertAlmostEqual(partner.service_perfect_order_rate, 0.0)

    def test_inventory_user_without_sales_rights(self):
        self.assertFalse(self.stock_user.has_group("sales_team.group_sale_salesman"))
        self._flows(self.stock_user)

    def test_inventory_admin_with_own_documents_sales_rights(self):
        self._flows(self.stock_admin_own_sales)

    def test_nothing_returned_to_the_user(self):
        """The hooks queue the order; the user still may not read our rows."""
        order = self._rep_order()
        self._validate(
            self.stock_admin_own_sales, order.picking_ids, 10, "2026-03-05", True
        )
        self.assertEqual(order.service_id.service_level_state, "on_time")
        Service = self.env["crm.order.service"].with_user(self.stock_admin_own_sales)
        # as an inventory administrator, the user sees service rows (as they
        # see deliveries), never the money of the order's customer
        self.assertEqual(Service.search_count([("order_id", "=", order.id)]), 1)
        with self.assertRaises(AccessError):
            self.customer.with_user(self.stock_user).read(["lifetime_revenue"])
