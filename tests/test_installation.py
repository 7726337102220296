# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Checks on the installed database: both addons, access rules, company rules."""

from odoo.tests import TransactionCase

OURS = ("crm_relationship", "crm_supply_chain_link")


class TestInstallation(TransactionCase):
    # Odoo tags only classes under odoo.addons; these run under pytest-odoo
    test_tags = {"standard"}
    test_module = "tests"

    def _our_models(self):
        data = self.env["ir.model.data"].search(
            [("module", "in", OURS), ("model", "=", "ir.model")]
        )
        return self.env["ir.model"].browse(data.mapped("res_id"))

    def test_addons_installed(self):
        modules = self.env["ir.module.module"].search([("name", "in", OURS)])
        self.assertEqual(sorted(modules.mapped("name")), sorted(OURS))
        self.assertEqual(set(modules.mapped("state")), {"installed"})

    def test_every_model_has_access_rules(self):
        models = self._our_models()
        self.assertIn("crm.relationship.metrics", models.mapped("model"))
        for model in models:
            if model.model not in self.env or self.env[model.model]._abstract:
                continue
            self.assertTrue(model.access_ids, f"{model.model} has no access rules")

    def test_company_models_have_company_rules(self):
        for model in self._our_models():
            if model.model not in self.env:
                continue
            records = self.env[model.model]
            if records._original_module not in OURS:
                continue  # a core model we extend keeps its own rules
            if (
                "company_id" in records._fields
                and not records._transient
                and not records._abstract  # no table: its models have the rules
            ):
                if model.model == "crm.relationship.queue":
                    continue  # internal, read by the engine only
                rules = self.env["ir.rule"].search(
                    [("model_id", "=", model.id), ("global", "=", True)]
                )
                self.assertTrue(
                    any("company_ids" in (r.domain_force or "") for r in rules),
                    f"{model.model} has no multi-company rule",
                )
