# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import re

from odoo import _, api, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

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

    @api.model
    def _deactivate_rules_on_our_fields(self):
        """Uninstall: archive the stages whose rule reads a field this module
        adds (any step of a leaf's path), with a note in their description,
        instead of leaving a rule that fails every night. Return them."""
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "crm_supply_chain_link"),
                ("model", "=", "ir.model.fields"),
            ]
        )
        ours = set(
            self.env["ir.model.fields"].browse(data.mapped("res_id")).mapped("name")
        )
        stages = self.browse()
        for stage in self.with_context(active_test=False).search([]):
            try:
                domain = stage._get_rule_domain()
            except ValidationError:
                # a rule broken already: the names it mentions
                words = set(re.findall(r"\w+", stage.rule_domain or ""))
                domain = []
            else:
                words = set()
                for leaf in expression.normalize_domain(domain):
                    if expression.is_leaf(leaf) and isinstance(leaf[0], str):
                        words |= set(leaf[0].split("."))
            used = words & ours
            if not used:
                continue
            note = _(
                "Archived when CRM Supply Chain Link was uninstalled: its rule "
                "reads %(fields)s, which no longer exist.",
                fields=", ".join(sorted(used)),
            )
            stage.write(
                {
                    "active": False,
                    "description": "\n\n".join(filter(None, [stage.description, note])),
                }
            )
            stages |= stage
        return stages
