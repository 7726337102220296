# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

from ..hooks import uninstall_hook
from ..models.crm_relationship_stage import AT_RISK_DEFAULT, AT_RISK_WITH_SERVICE


@tagged("post_install", "-at_install")
class TestUninstall(TransactionCase):
    """What the uninstall hook does to the stages (run here in a transaction
    that is rolled back; `tests/server/test_upgrade.py` uninstalls for real)."""

    def test_stages_reading_our_fields_are_archived(self):
        Stage = self.env["crm.relationship.stage"]
        on_service = Stage.create(
            {
                "name": "Badly served",
                "sequence": 1,
                "rule_domain": "[('service_otif_rate', '<', 50)]",
                "description": "Customers we fail.",
            }
        )
        on_path = Stage.create(
            {
                "name": "Policy breached",
                "sequence": 2,
                "rule_domain": "['|', ('churn_risk', '>=', 90), "
                "('commercial_partner_id.sla_status', '=', 'breached')]",
            }
        )
        own = Stage.create(
            {
                "name": "Very risky",
                "sequence": 3,
                "rule_domain": "[('churn_risk', '>=', 90)]",
            }
        )
        at_risk = self.env.ref("crm_relationship.crm_relationship_stage_at_risk")
        self.assertEqual(at_risk.rule_domain, AT_RISK_WITH_SERVICE)
        uninstall_hook(self.env)
        self.assertFalse(on_service.active)
        self.assertEqual(
            on_service.description,
            "Customers we fail.\n\nArchived when CRM Supply Chain Link was "
            "uninstalled: its rule reads service_otif_rate, which no longer exist.",
        )
        self.assertFalse(on_path.active)
        self.assertIn("reads sla_status,", on_path.description)
        self.assertTrue(own.active)
        self.assertFalse(own.description)
        # the shipped At risk rule goes back to the one without service levels
        self.assertTrue(at_risk.active)
        self.assertEqual(at_risk.rule_domain, AT_RISK_DEFAULT)
