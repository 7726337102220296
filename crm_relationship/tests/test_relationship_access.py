# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import RelationshipCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 12:00:00")
class TestRelationshipAccess(RelationshipCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_company = cls.env["res.company"].create({"name": "Rel Other Co"})
        cls.salesman = new_test_user(
            cls.env,
            login="rel_sales",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.manager = new_test_user(
            cls.env,
            login="rel_manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.outsider = new_test_user(
            cls.env,
            login="rel_outsider",
            groups="sales_team.group_sale_manager",
            company_id=cls.other_company.id,
            company_ids=[cls.other_company.id],
        )
        cls.customer = cls.env["res.partner"].create({"name": "Access customer"})
        with freeze_time("2026-06-30 12:00:00"):
            cls._order(cls.customer, "2026-06-01", 100)
            cls.Metrics._cron_process_queue()
        cls.row = cls.Metrics.search([("partner_id", "=", cls.customer.id)])

    def test_salesman_reads_values_not_configuration(self):
        partner = self.customer.with_user(self.salesman).with_company(self.company)
        self.assertEqual(partner.lifetime_order_count, 1)
        self.assertEqual(partner.relationship_stage_id.stage_type, "new")
        stage = self.env.ref("crm_relationship.crm_relationship_stage_active")
        with self.assertRaises(AccessError):
            stage.with_user(self.salesman).rule_domain = "[]"
        with self.assertRaises(AccessError):
            self.row.with_user(self.salesman).write({"lifetime_order_count": 5})
        with self.assertRaises(AccessError):
            self.env["crm.relationship.stage"].with_user(self.salesman).create(
                {"name": "Mine", "stage_type": "active"}
            )

    def test_salesman_sets_stage_by_hand(self):
        partner = self.customer.with_user(self.salesman).with_company(self.company)
        loyal = self.env.ref("crm_relationship.crm_relationship_stage_loyal")
        partner.relationship_stage_id = loyal
        self.assertEqual(self.row.stage_id, loyal)
        self.assertTrue(self.row.stage_locked)

    def test_manager_configures_stages(self):
        stage = (
            self.env["crm.relationship.stage"]
            .with_user(self.manager)
            .create(
                {
                    "name": "VIP",
                    "stage_type": "loyal",
                    "rule_domain": "[('value_tier', '=', 'A')]",
                }
            )
        )
        self.assertEqual(stage.rule_domain, "[('value_tier', '=', 'A')]")
        action = stage.action_preview()
        self.assertEqual(action["res_model"], "res.partner")

    def test_other_company_user_sees_nothing(self):
        rows = (
            self.env["crm.relationship.metrics"]
            .with_user(self.outsider)
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertFalse(rows)
        with self.assertRaises(AccessError):
            self.row.with_user(self.outsider).read(["lifetime_order_count"])
        partner = self.customer.with_user(self.outsider).with_company(
            self.other_company
        )
        self.assertFalse(partner.lifetime_order_count)
