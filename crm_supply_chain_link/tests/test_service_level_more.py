# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from .common import ServiceCommon
from .test_service_level import TestServiceLevelData


@tagged("post_install", "-at_install")
class TestServiceLevelMore(TestServiceLevelData, ServiceCommon):
    """More of the TestServiceLevel tests, on the same data."""

    def test_line_change_after_confirmation_recomputes_order(self):
        """A confirmed order's line changed (price, quantity) or added queues
        the order: its ordered quantity, revenue and margin follow."""
        self.product.list_price = 2.0
        order = self._order(qty=10)
        service = order.service_id
        self.assertAlmostEqual(service.revenue, 20.0)
        self.assertAlmostEqual(service.ordered_qty, 10.0)
        order.order_line.write({"price_unit": 3.0, "product_uom_qty": 12})
        self._drain()
        self.assertAlmostEqual(service.revenue, 36.0)
        self.assertAlmostEqual(service.ordered_qty, 12.0)
        self.env["sale.order.line"].create(
            {"order_id": order.id, "product_id": self.product.id, "product_uom_qty": 5}
        )
        self._drain()
        # 12 at 3.0 and 5 at the list price of 2.0
        self.assertAlmostEqual(service.revenue, 46.0)
        self.assertAlmostEqual(service.ordered_qty, 17.0)
        self.assertEqual(service.line_count, 2)
        report = self.env["crm.service.order.report"].search(
            [("order_id", "=", order.id)]
        )
        self.assertAlmostEqual(report.revenue, 46.0)

    def test_credit_note_breaks_perfect_order(self):
        order = self._order()
        self._deliver(order.picking_ids, 10, "2026-03-05")
        self.assertTrue(order.is_perfect_order)
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertTrue(order.is_perfect_order, "an invoice is not a credit note")
        refund = invoice._reverse_moves()
        refund.action_post()
        self._drain()
        self.assertService(order, is_otif=True, is_perfect_order=False)

    def test_cancel_after_measure(self):
        order = self._order()
        self._deliver(order.picking_ids, 10, "2026-03-05")
        self.assertEqual(order.service_level_state, "on_time")
        order.picking_ids.move_ids.write({"state": "draft"})  # allow cancelling
        order.with_context(disable_cancel_warning=True)._action_cancel()
        self.assertEqual(order.service_level_state, "on_time", "not yet computed")
        self._drain()
        self.assertEqual(order.service_level_state, "na")
        self.assertEqual(order.first_promised_date, datetime(2026, 3, 5, 10, 0))

    def test_validation_queries_do_not_grow(self):
        """Validating a delivery only queues its order (3 queries in the user's
        transaction); the scheduled action recomputes the order with as many
        queries for a customer with 400 orders as for a new one."""
        from odoo.addons.crm_relationship.tests.datagen import make_customers

        def validate_queries(customer):
            self.customer = customer
            order = self._order()
            picking = order.picking_ids
            with freeze_time("2026-03-05 15:00:00"):
                picking.move_ids.write({"quantity": 10, "picked": True})
                self.env.flush_all()
                before = self.env.cr.sql_log_count
                order._service_changed()
                self.env.flush_all()
                user = self.env.cr.sql_log_count - before
                before = self.env.cr.sql_log_count
                self.assertEqual(self.env["crm.order.service.queue"]._process(), 1)
                return user, self.env.cr.sql_log_count - before

        typical = validate_queries(self.env["res.partner"].create({"name": "Typical"}))
        whale_id = make_customers(
            self.env, self.company, 1, 400, datetime(2026, 3, 1).date(), self.service
        )[0]
        whale = self.env["res.partner"].browse(whale_id)
        make_customers(
            self.env, self.company, 200, 5, datetime(2026, 3, 1).date(), self.service
        )
        self.env["crm.order.service"]._init_existing_orders()
        while self.env["crm.order.service"]._cron_fill_pending():
            pass
        whale_count = validate_queries(whale)
        self.assertEqual(whale_count, typical)
        # the queue insert from the moves and the wake-up of the scheduled
        # action (the due-trigger check; ir.cron._trigger's trigger row when
        # none is pending)
        self.assertLessEqual(typical[0], 3)
        self.assertLessEqual(typical[1], 12)

    def test_confirm_and_validate_queries_same_for_whale(self):
        """Confirming an order and validating its delivery cost the same number
        of queries for a customer with 400 orders as for a new one."""
        from odoo.addons.crm_relationship.tests.datagen import make_customers

        whale_id = make_customers(
            self.env, self.company, 1, 400, datetime(2026, 3, 1).date(), self.service
        )[0]
        self.env["crm.order.service"]._init_existing_orders()
        while self.env["crm.order.service"]._cron_fill_pending():
            pass

        def flow_queries(customer):
            counts = []
            # the second round is the one measured: the first warms the caches
            for _round in range(2):
                order = self.env["sale.order"].create(
                    {
                        "partner_id": customer.id,
                        "order_line": [
                            Command.create(
                                {"product_id": self.product.id, "product_uom_qty": 1}
                            )
                        ],
                    }
                )
                self.env.flush_all()
                before = self.env.cr.sql_log_count
                order.action_confirm()
                self.env.flush_all()
                confirm = self.env.cr.sql_log_count - before
                picking = order.picking_ids
                picking.move_ids.write({"quantity": 1, "picked": True})
                self.env.flush_all()
                before = self.env.cr.sql_log_count
                picking.button_validate()
                self.env.flush_all()
                counts.append((confirm, self.env.cr.sql_log_count - before))
            return counts[-1]

        typical = flow_queries(self.env["res.partner"].create({"name": "Typical 2"}))
        whale = flow_queries(self.env["res.partner"].browse(whale_id))
        self.assertEqual(whale, typical)

    def test_migration_fills_line_count(self):
        from odoo.modules.migration import load_script

        order = self._order()
        self._deliver(order.picking_ids, 10, "2026-03-05")
        self.env.cr.execute(
            "UPDATE crm_order_service SET line_count = NULL WHERE order_id = %s",
            [order.id],
        )
        script = load_script(
            "crm_supply_chain_link/migrations/18.0.1.1.0/post-migration.py",
            "crm_scl_post_migration",
        )
        script.migrate(self.env.cr, None)  # a new install: nothing to do
        order.service_id.invalidate_recordset(["line_count"])
        self.assertEqual(order.service_id.line_count, 0)
        script.migrate(self.env.cr, "18.0.1.0.0")
        order.service_id.invalidate_recordset(["line_count"])
        self.assertEqual(order.service_id.line_count, 1)

    def test_migration_drops_stored_order_link(self):
        from odoo.modules.migration import load_script
        from odoo.tools.sql import column_exists

        order = self._order()
        # a database upgraded from 18.0.1.1.0 still has the stored column
        self.env.cr.execute(
            "ALTER TABLE sale_order ADD COLUMN IF NOT EXISTS service_id int4"
        )
        script = load_script(
            "crm_supply_chain_link/migrations/18.0.1.2.0/post-migration.py",
            "crm_scl_post_migration_1_2",
        )
        script.migrate(self.env.cr, None)  # a new install: nothing to do
        self.assertTrue(column_exists(self.env.cr, "sale_order", "service_id"))
        script.migrate(self.env.cr, "18.0.1.1.0")
        self.assertFalse(column_exists(self.env.cr, "sale_order", "service_id"))
        # the link reads the row's order
        self.assertEqual(order.service_id.order_id, order)
        self.assertEqual(
            self.env["sale.order"].search([("service_id", "=", order.service_id.id)]),
            order,
        )
        self.assertIn(
            order,
            self.env["sale.order"].search([("is_on_time", "=", False)]),
        )

    def test_install_fill_deferred_to_cron(self):
        """Orders found at install get rows at once and figures from the cron."""
        # the database's own orders found at install (demo data) first
        while self.Service._cron_fill_pending():
            pass
        order = self._order()
        self._deliver(order.picking_ids, 10, "2026-03-05")
        # as if the order existed before the addon: no row yet
        order.service_id.unlink()
        keys = SQL(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'crm_order_service'::regclass AND contype = 'f' "
            "ORDER BY conname"
        )
        before = self.env.execute_query(keys)
        self.Service._init_existing_orders()
        # the foreign keys, dropped for the bulk insert, are back as they were
        self.assertEqual(self.env.execute_query(keys), before)
        self.assertIn(
            (
                "crm_order_service_order_id_fkey",
                "FOREIGN KEY (order_id) REFERENCES sale_order(id) ON DELETE CASCADE",
            ),
            before,
        )
        row = order.service_id
        self.assertTrue(row)
        self.assertFalse(row.due_date)
        self.assertEqual(row.service_level_state, "na")
        with freeze_time("2026-03-20 12:00:00"):
            self.assertEqual(self.Service._cron_fill_pending(), 1)
            self.assertEqual(self.Service._cron_fill_pending(), 0)
        self.assertEqual(str(row.due_date), "2026-03-05")
        self.assertEqual(order.service_level_state, "on_time")
