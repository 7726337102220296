# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import AccessError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    rfm_window_days = fields.Integer(
        related="company_id.rfm_window_days", readonly=False
    )
    lost_after_days = fields.Integer(
        related="company_id.lost_after_days", readonly=False
    )
    value_tier_a_percent = fields.Float(
        related="company_id.value_tier_a_percent", readonly=False
    )
    value_tier_b_percent = fields.Float(
        related="company_id.value_tier_b_percent", readonly=False
    )
    relationship_time_budget = fields.Integer(
        related="company_id.relationship_time_budget", readonly=False
    )
    request_complaint_hours = fields.Integer(
        related="company_id.request_complaint_hours", readonly=False
    )
    request_repair_hours = fields.Integer(
        related="company_id.request_repair_hours", readonly=False
    )
    request_question_hours = fields.Integer(
        related="company_id.request_question_hours", readonly=False
    )
    complaint_risk_days = fields.Integer(
        related="company_id.complaint_risk_days", readonly=False
    )
    price_conflict_tolerance_percent = fields.Float(
        related="company_id.price_conflict_tolerance_percent", readonly=False
    )
    price_conflict_days = fields.Integer(
        related="company_id.price_conflict_days", readonly=False
    )
    price_conflict_block = fields.Boolean(
        related="company_id.price_conflict_block", readonly=False
    )
    request_alias_name = fields.Char(
        string="Requests Alias",
        compute="_compute_request_alias_name",
        # stored on the settings record: the web client sends the value with
        # create(), then calls execute()
        store=True,
        readonly=False,
        help="Emails to this address (at the alias domain) create customer "
        "requests. Empty: no alias. It must not be another alias's name.",
    )
    request_alias_contact = fields.Selection(
        [
            ("partners", "Known contacts only"),
            ("everyone", "Anyone (unknown senders become contacts)"),
        ],
        string="Accept Requests From",
        compute="_compute_request_alias_contact",
        store=True,
        readonly=False,
        help="Known contacts only: Odoo bounces emails from unknown senders and "
        "creates no contact. Anyone: an unknown sender becomes a new contact.",
    )
    request_alias_domain = fields.Char(
        string="Requests Alias Domain",
        compute="_compute_request_alias_domain",
    )

    history_months = fields.Integer(related="company_id.history_months", readonly=False)
    history_progress = fields.Char(
        string="History",
        compute="_compute_history_progress",
        help="Month ends written and still to write for this company.",
    )

    relationship_rule_error_count = fields.Integer(
        string="Rules That Failed",
        compute="_compute_relationship_rule_error_count",
        help="Stage rules (and service-level policies) of this company whose last "
        "run failed: the engine skipped them and went on with the others.",
    )
    relationship_failed_count = fields.Integer(
        string="Customers Not Computed",
        compute="_compute_relationship_failed_count",
        help="Customers of this company whose relationship values failed to "
        "compute: they stay queued with their error and are retried.",
    )

    @api.depends("company_id")
    def _compute_relationship_rule_error_count(self):
        for settings in self:
            settings.relationship_rule_error_count = sum(
                len(rules) for rules in settings._relationship_failed_rules()
            )

    def _relationship_failed_rules(self):
        """The records of each kind of rule (stages; service-level policies
        with crm_supply_chain_link) of the company whose last run failed."""
        self.ensure_one()
        return [
            self.env["crm.relationship.stage"].search(
                [
                    ("rule_error", "!=", False),
                    ("company_id", "in", (False, self.company_id.id)),
                ]
            )
        ]

    def action_view_relationship_rule_errors(self):
        self.ensure_one()
        stages = self._relationship_failed_rules()[0]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Stages whose rule failed"),
            "res_model": "crm.relationship.stage",
            "view_mode": "list,form",
            "domain": [("id", "in", stages.ids)],
        }

    @api.depends("company_id")
    def _compute_relationship_failed_count(self):
        # sudo: a count of the engine's queue for the settings
        Queue = self.env["crm.relationship.queue"].sudo()
        for settings in self:
            settings.relationship_failed_count = len(
                Queue._read_group(
                    [
                        ("company_id", "=", settings.company_id.id),
                        ("error", "!=", False),
                    ],
                    ["partner_id"],
                )
            )

    @api.depends("company_id")
    def _compute_history_progress(self):
        # sudo: a count for the settings, whatever the reader's rules
        Snapshot = self.env["crm.relationship.snapshot"].sudo()
        for settings in self:
            written, pending = Snapshot._history_progress(settings.company_id)
            settings.history_progress = self.env._(
                "%(written)s month ends written, %(pending)s to compute",
                written=written,
                pending=pending,
            )

    def action_rebuild_history(self):
        """Compute the company's history again from its oldest month end (the
        scheduled action writes it in the background)."""
        self.ensure_one()
        if not self.env.user.has_group(
            "crm_relationship.crm_relationship_group_manager"
        ):
            raise AccessError(
                self.env._("Only relationship managers may rebuild the history.")
            )
        self.env["crm.relationship.snapshot"]._schedule_backfill(self.company_id)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "The history is being rebuilt in the background, oldest "
                    "month first."
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_view_relationship_failures(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "crm_relationship.crm_relationship_queue_action_failed"
        )
        action["domain"] = [
            ("error", "!=", False),
            ("company_id", "=", self.company_id.id),
        ]
        return action

    # one compute per field: a value the web client sends for one of them
    # must not stop the other from being computed
    @api.depends("company_id")
    def _compute_request_alias_name(self):
        # sudo: the alias is configuration read for the settings
        alias = self.env["crm.customer.request"]._request_alias().sudo()
        for settings in self:
            settings.request_alias_name = alias.alias_name

    @api.depends("company_id")
    def _compute_request_alias_contact(self):
        # sudo: the alias is configuration read for the settings
        alias = self.env["crm.customer.request"]._request_alias().sudo()
        for settings in self:
            settings.request_alias_contact = (
                "everyone" if alias.alias_contact == "everyone" else "partners"
            )

    @api.depends("company_id")
    def _compute_request_alias_domain(self):
        # sudo: the alias is configuration read for the settings
        alias = self.env["crm.customer.request"]._request_alias().sudo()
        for settings in self:
            settings.request_alias_domain = alias.alias_domain

    def set_values(self):
        super().set_values()
        alias = self.env["crm.customer.request"]._request_alias()
        if not alias:
            return
        vals = {}
        if (alias.alias_name or False) != (self.request_alias_name or False):
            vals["alias_name"] = self.request_alias_name or False
        if self.request_alias_contact and alias.alias_contact != (
            self.request_alias_contact
        ):
            vals["alias_contact"] = self.request_alias_contact
        if vals:
            # mail.alias refuses a name another alias has, with a clear error;
            # settings are for system administrators, who may edit aliases
            alias.write(vals)
