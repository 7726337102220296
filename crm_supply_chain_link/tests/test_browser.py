# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The screens of crm_supply_chain_link in a real browser: Odoo tours
(static/tests/tours/crm_supply_chain_link_tours.js) in headless Chromium, and
every menu of the addon opened without a JavaScript error."""

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_relationship.tests.test_browser import assert_every_menu_opens

MODULE = "crm_supply_chain_link"


@tagged("post_install", "-at_install")
class TestBrowser(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.logistics = new_test_user(
            cls.env,
            login="tour_logistics",
            name="Tour Logistics",
            groups="stock.group_stock_user",
        )
        product = cls.env["product.product"].create(
            {"name": "Tour Crate", "type": "consu", "is_storable": True}
        )
        customer = cls.env["res.partner"].create(
            {"name": "Tour Late Customer", "is_company": True}
        )
        # confirmed and promised in the past, not delivered: overdue
        with freeze_time("2026-01-05 10:00:00"):
            cls.order = cls.env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "commitment_date": "2026-01-08 10:00:00",
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 3})
                    ],
                }
            )
            cls.order.action_confirm()
        cls.env["crm.order.service.queue"]._process()

    def test_tour_settings_search(self):
        self.start_tour(
            "/odoo/settings", "crm_supply_chain_link_settings_search", login="admin"
        )

    def test_tour_service_report(self):
        self.assertIn(self.order.service_id.service_level_state, ("overdue", "late"))
        self.start_tour(
            "/odoo",
            "crm_supply_chain_link_service_report",
            login="tour_logistics",
        )

    def test_tour_dashboards(self):
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "crm_supply_chain_link_dashboards",
            login="admin",
        )

    def test_every_menu_opens(self):
        assert_every_menu_opens(self, MODULE)
