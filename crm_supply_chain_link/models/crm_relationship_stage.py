# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

AT_RISK_WITH_SERVICE = "['|', ('churn_risk', '>=', 50), ('service_at_risk', '=', True)]"
AT_RISK_DEFAULT = "[('churn_risk', '>=', 50)]"


class CrmRelationshipStage(models.Model):
    _inherit = "crm.relationship.stage"

    @api.model
    def _restore_default_at_risk_rule(self):
        """Uninstall: the shipped At risk rule names a field that goes away."""
        stage = self.env.ref(
            "crm_relationship.crm_relationship_stage_at_risk", raise_if_not_found=False
        )
        if stage and stage.rule_domain == AT_RISK_WITH_SERVICE:
            stage.rule_domain = AT_RISK_DEFAULT
