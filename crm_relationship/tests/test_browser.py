# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The screens of crm_relationship in a real browser: Odoo tours
(static/tests/tours/crm_relationship_tours.js) in headless Chromium, and
every menu of the addon opened without a JavaScript error. `make test` fails
when one of them is skipped (no Chromium)."""

import json

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

MODULE = "crm_relationship"


def menu_actions(env, module):
    """The actions of the menus of ``module``, in menu order."""
    data = env["ir.model.data"].search(
        [("module", "=", module), ("model", "=", "ir.ui.menu")]
    )
    menus = (
        env["ir.ui.menu"]
        .browse(data.mapped("res_id"))
        .sorted(lambda m: (m.parent_id.id, m.sequence, m.id))
    )
    return [menu.action.id for menu in menus if menu.action]


def open_every_action_js(action_ids):
    """JavaScript that opens each action in turn with the action service and
    waits for its view; a JavaScript error or a failed load fails the test."""
    return """
        (async () => {
            const ids = IDS;
            const env = odoo.__WOWL_DEBUG__.root.env;
            const wait = (ms) => new Promise((r) => setTimeout(r, ms));
            for (const id of ids) {
                await env.services.action.doAction(id, {clearBreadcrumbs: true});
                let shown = false;
                for (let i = 0; i < 200 && !shown; i++) {
                    await wait(50);
                    shown = !!document.querySelector(
                        ".o_action_manager .o_view_controller, " +
                        ".o_action_manager .o_action"
                    );
                }
                if (!shown) {
                    throw new Error("action " + id + " shows nothing");
                }
                await wait(300);
                console.info("opened action " + id);
            }
            console.log("test successful");
        })();
    """.replace("IDS", json.dumps(action_ids))


def assert_every_menu_opens(case, module):
    """Open every menu action of ``module`` in one browser session as admin
    (``case``: an HttpCase); at least 10 menus are expected of each addon."""
    actions = menu_actions(case.env, module)
    case.assertGreaterEqual(len(actions), 10)
    case.browser_js(
        "/odoo",
        open_every_action_js(actions),
        ready="!!(odoo.__WOWL_DEBUG__ && odoo.__WOWL_DEBUG__.root)",
        login="admin",
        timeout=300,
    )


@tagged("post_install", "-at_install")
class TestBrowser(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.salesman = new_test_user(
            cls.env,
            login="tour_salesman",
            name="Tour Salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.successor = new_test_user(
            cls.env,
            login="tour_successor",
            name="Tour Successor",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Tour Widget", "type": "consu", "list_price": 100.0}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tour Customer",
                "is_company": True,
                "user_id": cls.salesman.id,
            }
        )
        order = cls._quote(cls.salesman, 100.0)
        order.action_confirm()
        cls.env["crm.relationship.metrics"]._refresh(cls.customer.ids, cls.company)

    @classmethod
    def _quote(cls, user, price):
        return cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": user.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 2,
                            "price_unit": price,
                            "tax_id": False,
                        }
                    )
                ],
            }
        )

    def _metrics(self):
        return self.env["crm.relationship.metrics"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("company_id", "=", self.company.id),
            ]
        )

    def test_tour_settings_search(self):
        self.start_tour(
            "/odoo/settings", "crm_relationship_settings_search", login="admin"
        )

    def test_tour_stage_rule(self):
        stage = self.env["crm.relationship.stage"].create(
            {
                "name": "Tour stage",
                "sequence": 99,
                "stage_type": "at_risk",
                "rule_domain": "[('churn_risk', '>=', 50)]",
            }
        )
        self.start_tour(
            "/odoo/action-crm_relationship.crm_relationship_stage_action",
            "crm_relationship_stage_rule",
            login="admin",
        )
        self.assertEqual(
            stage._get_rule_domain(self.company), [("churn_risk", ">=", 60)]
        )

    def test_tour_customer(self):
        self.assertFalse(self._metrics().stage_locked)
        self.start_tour(
            "/odoo/action-crm_relationship.res_partner_action_relationship",
            "crm_relationship_customer",
            login="tour_salesman",
        )
        metrics = self._metrics()
        # moved by hand to Active, then unlocked (the rules apply again)
        self.assertFalse(metrics.stage_locked)
        moves = self.env["crm.relationship.stage.history"].search(
            [("partner_id", "=", self.customer.id), ("reason", "=", "user")]
        )
        self.assertEqual(moves.stage_to_id.stage_type, "active")
        self.assertEqual(moves.user_id, self.salesman)

    def test_tour_handover(self):
        self.start_tour(
            "/odoo/action-crm_relationship.res_partner_action_relationship",
            "crm_relationship_handover",
            login="admin",
        )
        self.assertEqual(self.customer.user_id, self.successor)
        handover = self.env["crm.handover"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertEqual(
            (handover.from_user_id, handover.to_user_id),
            (self.salesman, self.successor),
        )

    def test_tour_quotation_banners(self):
        self.env["crm.customer.request"].create(
            {
                "name": "Wrong colour delivered",
                "partner_id": self.customer.id,
                "request_type": "complaint",
            }
        )
        self._quote(self.successor, 100.0)
        quote = self._quote(self.salesman, 130.0)
        self.assertTrue(quote.request_warning and quote.price_conflict_warning)
        self.start_tour(
            f"/odoo/action-sale.action_quotations_with_onboarding/{quote.id}",
            "crm_relationship_quotation_banners",
            login="tour_salesman",
        )

    def test_every_menu_opens(self):
        assert_every_menu_opens(self, MODULE)
