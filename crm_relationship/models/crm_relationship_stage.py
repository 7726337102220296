# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.safe_eval import datetime, time

STAGE_TYPES = [
    ("prospect", "Prospect"),
    ("new", "New"),
    ("active", "Active"),
    ("loyal", "Loyal"),
    ("at_risk", "At risk"),
    ("lost", "Lost"),
    ("won_back", "Won back"),
]


class CrmRelationshipStage(models.Model):
    _name = "crm.relationship.stage"
    _inherit = ["crm.relationship.follow.up.mixin", "crm.relationship.rule.mixin"]
    _description = "Relationship Stage"
    # a rule that reads the stage it assigns moves customers back and forth
    _rule_circular_prefixes = {
        "res.partner": ("relationship_stage",),
        "crm.relationship.metrics": ("stage_",),
    }
    # shown in a customer's life order; the rules are tried by ``sequence``
    _order = "display_sequence, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        help="Rules are evaluated in this order; the first stage whose rule "
        "matches a customer is set.",
    )
    display_sequence = fields.Integer(
        string="Display Order",
        default=100,
        help="Position of the stage in the customer's stage bar and the lifecycle "
        "kanban, in the order of a customer's life (prospect, new, active, loyal, "
        "at risk, lost, won back). The rules are tried by Sequence, whatever "
        "this order.",
    )
    active = fields.Boolean(default=True)
    stage_type = fields.Selection(
        STAGE_TYPES,
        required=True,
        default="active",
        help="What the stage means, whatever its name: reports and follow-ups "
        "rely on it.",
    )
    rule_domain = fields.Char(
        string="Rule",
        default="[]",
        required=True,
        help="Customers matching this domain on contacts enter the stage "
        "(first match by sequence). context_today() is today in the company's "
        "timezone; relativedelta is available.",
    )
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to use the stage in every company.",
    )
    color = fields.Integer()
    fold = fields.Boolean(help="Folded in the customer kanban board.")
    description = fields.Text(translate=True)
    customer_count = fields.Integer(
        compute="_compute_customer_count",
        help="Customers of the current company in this stage.",
    )

    def _compute_customer_count(self):
        counts = dict(
            self.env["crm.relationship.metrics"]._read_group(
                [
                    ("stage_id", "in", self.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                ["stage_id"],
                ["__count"],
            )
        )
        for stage in self:
            stage.customer_count = counts.get(stage, 0)

    @api.constrains("rule_domain")
    def _check_rule_domain(self):
        for stage in self:
            stage._check_rule(stage._get_rule_domain(), stage.company_id or None)

    @api.constrains("name")
    def _check_name(self):
        for stage in self:
            if not (stage.name or "").strip():
                raise ValidationError(_("A stage needs a name."))

    @api.model
    def _rule_label(self):
        return _("The rule of stage")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = (
            self.env["crm.relationship.metrics"]
            # sudo: any customer in the stage blocks the deletion, visible or not
            .sudo()
            .search_count([("stage_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                _(
                    "A stage that customers are in cannot be deleted; archive it "
                    "or move its customers first."
                )
            )

    @api.model
    def _rule_eval_context(self, company=None):
        company = company or self.env.company
        tz = company.partner_id.tz or "UTC"
        # a month end of the history evaluates the rules as of that day
        today = fields.Date.to_date(
            self.env.context.get("relationship_as_of")
        ) or fields.Date.context_today(self.with_context(tz=tz))
        return {
            "context_today": lambda: today,
            "relativedelta": relativedelta,
            "datetime": datetime,
            "time": time,
            "uid": self.env.uid,
            "user": self.env.user,
        }

    def _get_rule_domain(self, company=None):
        """Parse and validate the rule; raise a ValidationError when unusable."""
        return self._parse_rule(self.rule_domain, company)

    def _rule_domain(self, company=None):
        return self._get_rule_domain(company)

    def action_preview(self):
        """Customers of the current company the rule would take now."""
        self.ensure_one()
        domain = self._get_rule_domain()
        return {
            "type": "ir.actions.act_window",
            "name": _("Rule preview: %(stage)s", stage=self.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            # customers of the current company: those with values computed in it
            "domain": domain + [("relationship_metrics_id", "!=", False)],
            "context": {"create": False},
        }

    def action_open_customers(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("relationship_stage_id", "=", self.id)],
        }
