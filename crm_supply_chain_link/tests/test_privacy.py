# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Who reads what (../shared/METRICS.md, 9), for each role, over the calls the
web client makes: read, search_read, read_group, web_read, web_read_group."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ServiceCommon

OURS = {"crm_relationship", "crm_supply_chain_link"}
MONEY = ["lifetime_revenue", "average_order_value", "rfm_monetary", "predicted_clv"]
SERVICE = ["service_order_count", "service_otif_rate", "service_fill_rate"]
REPORT_MONEY = ["revenue", "margin", "margin_percent"]
ANALYSIS = [
    "crm.order.service",
    "crm.order.line.service",
    "crm.service.level.report",
    "crm.service.order.report",
    "crm.relationship.metrics",
]
REPORTS = ["crm.service.order.report", "crm.service.level.report"]


def our_fields(model):
    """The fields that only our addons define on ``model``."""
    return sorted(
        name
        for name, field in model._fields.items()
        if field._modules and set(field._modules) <= OURS
    )


class TestPrivacyData:
    """The data and helpers of the TestPrivacy tests (a mixin: not a test
    case of its own, so the runner never runs it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        cls.other_company = cls.env["res.company"].create({"name": "Privacy Other Co"})
        common = {"company_id": company.id, "company_ids": [company.id]}
        cls.rep_a = new_test_user(
            cls.env,
            login="priv_rep_a",
            groups="sales_team.group_sale_salesman",
            **common,
        )
        cls.rep_b = new_test_user(
            cls.env,
            login="priv_rep_b",
            groups="sales_team.group_sale_salesman",
            **common,
        )
        cls.rep_all = new_test_user(
            cls.env,
            login="priv_rep_all",
            groups="sales_team.group_sale_salesman_all_leads",
            **common,
        )
        cls.manager = new_test_user(
            cls.env,
            login="priv_manager",
            groups="sales_team.group_sale_manager",
            **common,
        )
        cls.stock_user = new_test_user(
            cls.env, login="priv_stock", groups="stock.group_stock_user", **common
        )
        cls.outsider = new_test_user(
            cls.env,
            login="priv_outsider",
            groups="sales_team.group_sale_manager,stock.group_stock_user",
            company_id=cls.other_company.id,
            company_ids=[cls.other_company.id],
        )
        cls.customer.user_id = cls.rep_a
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "Privacy Customer B", "user_id": cls.rep_b.id}
        )
        # the customer's employee who logs into the portal
        cls.portal_contact = cls.env["res.partner"].create(
            {"name": "Privacy Portal Contact", "parent_id": cls.customer.id}
        )
        cls.portal = new_test_user(
            cls.env,
            login="priv_portal",
            name="Privacy Portal Contact",
            groups="base.group_portal",
            partner_id=cls.portal_contact.id,
            **common,
        )
        # customer A (rep A): delivered 10 of 10 on the due day; customer B
        # (rep B): 5 of 10, backorder cancelled, a day late
        cls.order_a = cls._order(qty=10)
        cls.order_a.user_id = cls.rep_a
        cls._deliver(cls.order_a.picking_ids, 10, "2026-03-05")
        cls.order_b = cls._order(qty=10, partner=cls.customer_b)
        cls.order_b.user_id = cls.rep_b
        cls._deliver(cls.order_b.picking_ids, 5, "2026-03-06", backorder=False)
        # a quotation of rep B at another price: a conflict on rep A's quote
        cls.quote_a = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.rep_a.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "price_unit": 100,
                        }
                    )
                ],
            }
        )
        cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.rep_b.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "price_unit": 50,
                        }
                    )
                ],
            }
        )
        with freeze_time("2026-03-20 12:00:00"):
            cls.Service._cron_refresh_open()
            cls.env["crm.relationship.metrics"]._refresh(
                (cls.customer | cls.customer_b).ids, company
            )

    def _as(self, user, model="res.partner"):
        Model = self.env[model].with_user(user)
        if self.company in user.company_ids:
            Model = Model.with_company(self.company)
        return Model

    def _check_stock_user_report(self, model):
        report = self._as(self.stock_user, model)
        groups = report.read_group(
            [("order_id", "in", (self.order_a | self.order_b).ids)],
            ["otif_rate:sum", "fill_rate:sum", "order_weight:sum"],
            ["partner_id"],
            orderby="partner_id",
        )
        self.assertEqual(
            {g["partner_id"][0]: (g["otif_rate"], g["fill_rate"]) for g in groups},
            {self.customer.id: (100.0, 100.0), self.customer_b.id: (0.0, 0.0)},
        )
        web = report.web_read_group(
            [("order_id", "in", (self.order_a | self.order_b).ids)],
            ["otif_rate:sum"],
            ["partner_id"],
        )
        self.assertEqual(web["length"], 2)
        for fname in REPORT_MONEY:
            with self.assertRaises(AccessError, msg=fname):
                report.read_group([], [f"{fname}:sum"], ["partner_id"])
            with self.assertRaises(AccessError, msg=fname):
                report.web_read_group([], [f"{fname}:sum"], ["partner_id"])
            with self.assertRaises(AccessError, msg=fname):
                report.search_read([], [fname])

    # ------------------------------------------------------------------
    # salespeople and managers: own documents, all documents
    # ------------------------------------------------------------------
    def _visible(self, user, model, field="order_id"):
        Model = self._as(user, model)
        orders = self.order_a | self.order_b
        if field == "partner_id":
            domain = [("partner_id", "in", (self.customer | self.customer_b).ids)]
            return {r[field][0] for r in Model.search_read(domain, [field])}
        domain = [("order_id", "in", orders.ids)]
        return {r[field][0] for r in Model.search_read(domain, [field])}


@tagged("post_install", "-at_install")
class TestPrivacy(TestPrivacyData, ServiceCommon):
    # ------------------------------------------------------------------
    # every field of ours on a core model carries groups
    # ------------------------------------------------------------------
    def test_every_field_on_core_models_has_groups(self):
        checked = 0
        for name in sorted(self.env.registry.models):
            model = self.env[name]
            if model._transient or model._abstract or model._original_module in OURS:
                continue
            for fname in our_fields(model):
                checked += 1
                self.assertTrue(
                    model._fields[fname].groups,
                    f"{name}.{fname} is added by our addons and has no groups",
                )
        # res.partner, sale.order and res.company hold ours (more than 80)
        self.assertGreater(checked, 80)
        self.assertIn("lifetime_revenue", our_fields(self.env["res.partner"]))
        self.assertIn("price_conflict_warning", our_fields(self.env["sale.order"]))

    # ------------------------------------------------------------------
    # portal: nothing of ours, not even on its own partner and orders
    # ------------------------------------------------------------------
    def test_portal_reads_nothing_of_ours(self):
        partner = self.portal_contact.with_user(self.portal)
        self.assertEqual(partner.read(["name"])[0]["name"], "Privacy Portal Contact")
        company = self.customer.with_user(self.portal)
        self.assertEqual(company.read(["name"])[0]["name"], "SCL Customer")
        for fname in our_fields(self.env["res.partner"]):
            with self.assertRaises(AccessError, msg=fname):
                partner.read([fname])
            with self.assertRaises(AccessError, msg=fname):
                company.read([fname])
        for fname in ("churn_risk_reason", "rfm_segment", "value_tier", *MONEY):
            with self.assertRaises(AccessError, msg=fname):
                partner.web_read({fname: {}})
            with self.assertRaises(AccessError, msg=fname):
                self._as(self.portal).search_read(
                    [("id", "=", self.portal_contact.id)], [fname]
                )
        # the fields the web client may ask for leave ours out
        for model in ("res.partner", "sale.order", "res.company"):
            described = self.env[model].with_user(self.portal).fields_get()
            self.assertFalse(set(our_fields(self.env[model])) & set(described), model)
        order = self.order_a.with_user(self.portal)
        for fname in our_fields(self.env["sale.order"]):
            with self.assertRaises(AccessError, msg=fname):
                order.read([fname])
        with self.assertRaises(AccessError):
            self.quote_a.with_user(self.portal).web_read({"price_conflict_warning": {}})
        for model in sorted(self.env.registry.models):
            Model = self.env[model]
            if Model._original_module in OURS and not (
                Model._transient or Model._abstract
            ):
                with self.assertRaises(AccessError, msg=model):
                    self.env[model].with_user(self.portal).search_read([], ["id"])

    # ------------------------------------------------------------------
    # logistics staff: service figures, no money, no relationship values
    # ------------------------------------------------------------------
    def test_inventory_user_reads_service_not_money(self):
        partner = self.customer.with_user(self.stock_user).with_company(self.company)
        values = partner.read(SERVICE)[0]
        self.assertEqual(values["service_order_count"], 1)
        self.assertEqual(values["service_otif_rate"], 100.0)
        self.assertEqual(values["service_fill_rate"], 100.0)
        values = self.customer_b.with_user(self.stock_user).read(SERVICE)[0]
        # 5 of 10, a day late: not OTIF, nothing on time
        self.assertEqual(values["service_otif_rate"], 0.0)
        self.assertEqual(values["service_fill_rate"], 0.0)
        for fname in (*MONEY, "churn_risk", "relationship_stage_id"):
            with self.assertRaises(AccessError, msg=fname):
                partner.read([fname])
            with self.assertRaises(AccessError, msg=fname):
                self._as(self.stock_user).search_read(
                    [("id", "=", self.customer.id)], [fname]
                )
        metrics = self._as(self.stock_user, "crm.relationship.metrics")
        rows = metrics.search_read(
            [("partner_id", "in", (self.customer | self.customer_b).ids)],
            ["partner_id", "service_otif_rate"],
            order="partner_id",
        )
        self.assertEqual(
            {r["partner_id"][0]: r["service_otif_rate"] for r in rows},
            {self.customer.id: 100.0, self.customer_b.id: 0.0},
        )
        for fname in MONEY:
            with self.assertRaises(AccessError, msg=fname):
                metrics.search_read([], [fname])
            with self.assertRaises(AccessError, msg=fname):
                metrics.read_group([], [fname], ["company_id"])
        with self.assertRaises(AccessError):
            self.order_a.with_user(self.stock_user).read(["price_conflict_warning"])
        self.assertEqual(
            self.order_a.with_user(self.stock_user).read(["is_otif"])[0]["is_otif"],
            True,
        )
        # the service reports: rates by customer, without money measures
        for model in REPORTS:
            self._check_stock_user_report(model)
        # the order's service row: quantities, not its revenue and margin
        service = self._as(self.stock_user, "crm.order.service").search(
            [("order_id", "=", self.order_a.id)]
        )
        self.assertEqual(service.read(["ordered_qty"])[0]["ordered_qty"], 10.0)
        for fname in ("revenue", "margin"):
            with self.assertRaises(AccessError, msg=fname):
                service.read([fname])

    def test_salesperson_own_documents_sees_own_rows(self):
        for model in ("crm.order.service", "crm.order.line.service"):
            self.assertEqual(self._visible(self.rep_a, model), {self.order_a.id})
            self.assertEqual(self._visible(self.rep_b, model), {self.order_b.id})
        for report in REPORTS:
            self.assertEqual(self._visible(self.rep_a, report), {self.order_a.id})
            groups = self._as(self.rep_a, report).web_read_group(
                [("order_id", "in", (self.order_a | self.order_b).ids)],
                ["order_weight:sum", "revenue:sum"],
                ["partner_id"],
            )
            self.assertEqual(
                [
                    (g["partner_id"][0], g["order_weight"], g["revenue"])
                    for g in groups["groups"]
                ],
                [(self.customer.id, 1.0, 10.0)],
                report,
            )
        self.assertEqual(
            self._visible(self.rep_a, "crm.relationship.metrics", "partner_id"),
            {self.customer.id},
        )
        self.assertEqual(
            self._visible(self.rep_b, "crm.relationship.metrics", "partner_id"),
            {self.customer_b.id},
        )
        # commitments and price conflicts: the rep's own documents only
        customers = [("partner_id", "in", (self.customer | self.customer_b).ids)]
        for model in ("crm.commitment", "crm.price.conflict"):
            for rep in (self.rep_a, self.rep_b):
                users = {
                    r["user_id"] and r["user_id"][0]
                    for r in self._as(rep, model).search_read(customers, ["user_id"])
                }
                self.assertEqual(users, {rep.id}, f"{model} {rep.login}")
            users = {
                r["user_id"][0]
                for r in self._as(self.rep_all, model).search_read(
                    customers, ["user_id"]
                )
            }
            self.assertEqual(users, {self.rep_a.id, self.rep_b.id}, model)
        # money on own customers: a salesperson has sales rights
        partner = self.customer.with_user(self.rep_a).with_company(self.company)
        self.assertEqual(
            partner.read(["lifetime_order_count"])[0]["lifetime_order_count"], 1
        )
        self.assertEqual(
            partner.read(["service_otif_rate"])[0]["service_otif_rate"], 100.0
        )
        # 10 units at the product's list price of 1.0
        self.assertEqual(
            partner.read(["lifetime_revenue"])[0]["lifetime_revenue"], 10.0
        )
        # the warning on own quotation names rep B's price
        warning = self.quote_a.with_user(self.rep_a).read(["price_conflict_warning"])
        self.assertIn(self.rep_b.name, warning[0]["price_conflict_warning"] or "")
