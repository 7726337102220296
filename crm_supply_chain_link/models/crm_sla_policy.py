# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from odoo.addons.crm_relationship.models.crm_relationship_rule_mixin import (
    check_number,
)

SLA_STATUSES = [
    ("none", "None"),
    ("met", "Met"),
    ("warning", "Warning"),
    ("breached", "Breached"),
]

# fields a policy's applicability may not use: they depend on the policy itself
_CIRCULAR_PREFIXES = ("service_", "sla_", "relationship_stage", "churn_risk_reason")


class CrmSlaPolicy(models.Model):
    """Service-level targets for a group of customers (../shared/METRICS.md, 3).

    The first matching active policy by sequence applies to a customer; its
    window and tolerances are used only to evaluate its own targets.
    """

    _name = "crm.sla.policy"
    _inherit = ["crm.relationship.follow.up.mixin", "crm.relationship.rule.mixin"]
    _description = "Service-Level Policy"
    # on every step of a path (``commercial_partner_id.sla_status`` too)
    _rule_circular_prefixes = {
        "res.partner": _CIRCULAR_PREFIXES,
        "crm.relationship.metrics": ("service_", "sla_", "stage_", "churn_risk_reason"),
    }
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(
        default=10,
        help="The first matching policy by sequence applies to a customer.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    partner_domain = fields.Char(
        string="Applies To",
        default="[]",
        required=True,
        help="Customers matching this domain on contacts follow the policy, e.g. "
        "value tier A, a tag or a country. It cannot use service-level, policy or "
        "stage fields, which depend on the policy.",
    )
    description = fields.Text(translate=True)
    # ---- targets ----
    target_otif_rate = fields.Float(
        string="Target OTIF %",
        help="Minimum share of orders on time and in full. 0: not used.",
    )
    target_fill_rate = fields.Float(
        string="Target Fill Rate %",
        help="Minimum share of the ordered quantity delivered by the due day. "
        "0: not used.",
    )
    target_cycle_time_days = fields.Float(
        string="Target Cycle Time (days)",
        help="Maximum mean days from order to complete delivery. 0: not used.",
    )
    target_return_rate = fields.Float(
        string="Target Return Rate %",
        help="Maximum share of the delivered quantity returned. 0: not used.",
    )
    warning_margin = fields.Float(
        default=0.0,
        help="Warn when a figure is within this margin of its target (points for "
        "rates, days for cycle time). 0: no warning, only breaches.",
    )
    # ---- evaluation ----
    window_days = fields.Integer(
        string="Window (days)",
        default=lambda self: self.env.company.service_window_days or 90,
        help="The policy's figures cover the orders due in the last N days.",
    )
    late_tolerance_days = fields.Integer(
        default=lambda self: self.env.company.late_tolerance_days,
        help="Days after the promised day that still count as on time for this "
        "policy's customers (instead of the company setting).",
    )
    qty_tolerance_percent = fields.Float(
        default=lambda self: self.env.company.qty_tolerance_percent,
        help="A line delivered at ordered quantity x (1 - this %) counts as in "
        "full for this policy's customers (instead of the company setting).",
    )
    # ---- follow-up ----
    follow_up_on = fields.Selection(
        [("breached", "Breach"), ("warning", "Warning and breach")],
        default="breached",
        required=True,
        help="Which status changes schedule the activity and send the email. "
        "Leaving the status closes the open activity it created.",
    )
    activity_user_mode = fields.Selection(
        selection_add=[("stock_manager", "Warehouse managers")],
        ondelete={"stock_manager": "set default"},
        required=True,
        help="Who gets the activity. Warehouse managers are the users of "
        "Inventory's Administrator group in the policy's company. Customers "
        "without salesperson fall back to the chosen user.",
    )
    activity_user_id = fields.Many2one(check_company=True)
    activity_days = fields.Integer(default=1)
    customer_count = fields.Integer(
        compute="_compute_status_counts", help="Customers following this policy."
    )
    breached_count = fields.Integer(
        compute="_compute_status_counts", help="Customers in breach of this policy."
    )
    warning_count = fields.Integer(compute="_compute_status_counts")

    def _compute_status_counts(self):
        counts = {}
        for policy, status, count in self.env["crm.relationship.metrics"]._read_group(
            [("sla_policy_id", "in", self.ids)],
            ["sla_policy_id", "sla_status"],
            ["__count"],
        ):
            counts.setdefault(policy, {})[status] = count
        for policy in self:
            by_status = counts.get(policy, {})
            policy.customer_count = sum(by_status.values())
            policy.breached_count = by_status.get("breached", 0)
            policy.warning_count = by_status.get("warning", 0)

    @api.constrains(
        "target_otif_rate",
        "target_fill_rate",
        "target_return_rate",
        "target_cycle_time_days",
        "warning_margin",
        "window_days",
        "late_tolerance_days",
        "qty_tolerance_percent",
    )
    def _check_values(self):
        for policy in self:
            for fname in ("target_otif_rate", "target_fill_rate", "target_return_rate"):
                if not 0 <= policy[fname] <= 100:
                    raise ValidationError(
                        _(
                            "Policy '%(policy)s': %(target)s must be between 0 and "
                            "100 %%.",
                            policy=policy.name,
                            target=policy._fields[fname].get_description(self.env)[
                                "string"
                            ],
                        )
                    )
            for fname in ("target_cycle_time_days", "warning_margin"):
                # NaN and infinity compare false with everything: refused here
                check_number(
                    self.env,
                    policy[fname],
                    policy._fields[fname].get_description(self.env)["string"],
                    low=0,
                    high=3650 if fname == "target_cycle_time_days" else 100,
                )
            if policy.target_cycle_time_days < 0 or policy.warning_margin < 0:
                raise ValidationError(
                    _(
                        "Policy '%(policy)s': the cycle time target and the warning "
                        "margin cannot be negative.",
                        policy=policy.name,
                    )
                )
            if not 1 <= policy.window_days <= 3650:
                raise ValidationError(
                    _(
                        "Policy '%(policy)s': the window must be between 1 and 3650 "
                        "days.",
                        policy=policy.name,
                    )
                )
            if not 0 <= policy.late_tolerance_days <= 365:
                raise ValidationError(
                    _(
                        "Policy '%(policy)s': the late tolerance must be between 0 "
                        "and 365 days.",
                        policy=policy.name,
                    )
                )
            if not 0 <= policy.qty_tolerance_percent < 100:
                raise ValidationError(
                    _(
                        "Policy '%(policy)s': the quantity tolerance must be at "
                        "least 0 %% and below 100 %%.",
                        policy=policy.name,
                    )
                )

    @api.constrains("partner_domain")
    def _check_partner_domain(self):
        for policy in self:
            policy._check_rule(policy._get_partner_domain(), policy.company_id)

    @api.constrains("name")
    def _check_name(self):
        for policy in self:
            if not (policy.name or "").strip():
                raise ValidationError(_("A service-level policy needs a name."))

    @api.model
    def _rule_label(self):
        return _("The customers of policy")

    def _get_partner_domain(self, company=None):
        """Parse and validate the applicability; raise a ValidationError."""
        return self._parse_rule(self.partner_domain, company)

    def _rule_domain(self, company=None):
        return self._get_partner_domain(company)

    @api.model
    def _match_customers(self, partner_ids, company):
        """{partner id: the first active policy of ``company`` (by sequence)
        whose customers include it}, for the customers among ``partner_ids``;
        a policy that fails is skipped and shown (the rule mixin)."""
        policies = self.search([("company_id", "=", company.id)])
        return self.env["crm.relationship.metrics"]._first_matches(
            partner_ids, company, policies._parsed_rules(company)
        )

    @api.model_create_multi
    def create(self, vals_list):
        policies = super().create(vals_list)
        policies._queue_company_customers()
        return policies

    def write(self, vals):
        companies = self.company_id
        res = super().write(vals)
        if set(vals) - {
            "name",
            "description",
            "activity_summary",
            # the engine's own notes on the policy change no customer
            "rule_error",
            "rule_error_date",
            "follow_up_error",
            "follow_up_error_date",
        }:
            self._queue_company_customers(companies | self.company_id)
        return res

    def unlink(self):
        companies = self.company_id
        res = super().unlink()
        self.browse()._queue_company_customers(companies)
        return res

    def _follow_up_users(self, partner, company):
        """Warehouse managers: the users of Inventory's Administrator group in
        the policy's company (active and internal), else the chosen user."""
        if self.activity_user_mode != "stock_manager":
            return super()._follow_up_users(partner, company)
        managers = (
            self.env.ref("stock.group_stock_manager")
            .users.filtered(lambda u: u._is_follow_up_user(self.company_id))
            .sorted("id")
        )
        return managers or self.activity_user_id.filtered(
            lambda u: u._is_follow_up_user(company)
        )

    def _queue_company_customers(self, companies=None):
        """Matching and targets changed: re-evaluate the company's customers in
        the background (the queue's scheduled action)."""
        companies = companies or self.company_id
        if companies:
            # sudo: the queue is the engine's, and policy managers may not read
            # scheduled actions; queueing and waking one is harmless
            self.env["crm.relationship.queue"].sudo()._enqueue_companies(companies)

    def action_open_customers(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("sla_policy_id", "=", self.id)],
            "context": {"create": False},
        }

    def action_preview(self):
        """Customers of the current company the domain takes now."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Policy preview: %(policy)s", policy=self.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": self._get_partner_domain()
            + [("relationship_metrics_id", "!=", False)],
            "context": {"create": False},
        }

    def action_evaluate(self):
        """Queue the customers of the policy's company for a re-evaluation by
        the scheduled action (outside the user's request)."""
        self.check_access("write")
        user = self.env.user
        if not (
            user.has_group("crm_relationship.crm_relationship_group_user")
            or user.has_group("stock.group_stock_manager")
        ):
            raise AccessError(
                _(
                    "Only relationship users and inventory administrators may "
                    "re-evaluate service-level policies."
                )
            )
        self._queue_company_customers()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": _(
                    "The customers of %(companies)s are queued: their service-level "
                    "status is evaluated in the background within a minute.",
                    companies=", ".join(self.company_id.mapped("name")),
                ),
            },
        }
