# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.base.tests.common import BaseCommon


@tagged("post_install", "-at_install")
class TestServiceAccess(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "SCL Other Co"})
        cls.salesman = new_test_user(
            cls.env, login="scl_sales", groups="sales_team.group_sale_salesman"
        )
        cls.stock_user = new_test_user(
            cls.env, login="scl_stock", groups="stock.group_stock_user"
        )
        cls.outsider = new_test_user(
            cls.env,
            login="scl_outsider",
            groups="sales_team.group_sale_manager,stock.group_stock_user",
            company_id=cls.other_company.id,
            company_ids=[cls.other_company.id],
        )
        product = cls.env["product.product"].create(
            {"name": "SCL Access", "type": "consu", "is_storable": True}
        )
        partner = cls.env["res.partner"].create({"name": "SCL Access customer"})
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": cls.salesman.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 1})
                ],
            }
        )
        cls.order.action_confirm()
        cls.env["crm.order.service.queue"]._process()

    def test_read_rights(self):
        self.assertEqual(
            self.order.with_user(self.salesman).service_level_state, "open"
        )
        rows = (
            self.env["crm.order.service"]
            .with_user(self.stock_user)
            .search([("order_id", "=", self.order.id)])
        )
        self.assertEqual(len(rows), 1)
        with self.assertRaises(AccessError):
            rows.with_user(self.salesman).write({"is_otif": True})
        report = self.env["crm.service.level.report"].with_user(self.stock_user)
        self.assertEqual(report.search_count([("order_id", "=", self.order.id)]), 1)

    def test_other_company_sees_nothing(self):
        Service = self.env["crm.order.service"].with_user(self.outsider)
        self.assertFalse(Service.search([("order_id", "=", self.order.id)]))
        report = self.env["crm.service.level.report"].with_user(self.outsider)
        self.assertFalse(report.search([("order_id", "=", self.order.id)]))

    def test_bad_settings(self):
        company = self.env.company
        for vals in (
            {"late_tolerance_days": -1},
            {"qty_tolerance_percent": 100},
            {"service_window_days": 0},
            {"service_risk_otif_threshold": 101},
        ):
            with self.assertRaises(ValidationError):
                company.write(vals)
        self.assertEqual(company.service_window_days, 90)
