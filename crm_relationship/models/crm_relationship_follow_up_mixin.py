# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .crm_relationship_rule_mixin import check_number_vals

# the longest follow-up delay, in days
MAX_FOLLOW_UP_DAYS = 3650


class CrmRelationshipFollowUpMixin(models.AbstractModel):
    """What to do when a customer enters a stage or a service-level status: an
    activity for someone, an email to the customer."""

    _name = "crm.relationship.follow.up.mixin"
    _description = "Relationship Follow-up"

    activity_type_id = fields.Many2one(
        "mail.activity.type",
        string="Follow-up Activity",
        help="Schedule this activity on the customer when it enters the stage or "
        "status.",
    )
    activity_summary = fields.Char(translate=True)
    activity_user_mode = fields.Selection(
        [("salesperson", "Salesperson of the customer"), ("user", "Chosen user")],
        default="salesperson",
        help="Who gets the activity. Customers without salesperson fall back to "
        "the chosen user.",
    )
    activity_user_id = fields.Many2one(
        "res.users",
        string="Chosen User",
        domain="[('share', '=', False)]",
        help="An active internal user; activities never go to portal or archived "
        "users.",
    )
    activity_days = fields.Integer(
        string="Due in (days)",
        default=0,
        help="Days after the change (0 to 3650).",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        domain=[("model", "=", "res.partner")],
        help="Send this email to the customer when it enters the stage or status "
        "(blacklisted and opted-out addresses are skipped).",
    )

    follow_up_error = fields.Text(
        readonly=True,
        copy=False,
        help="The last follow-up that failed (a mail template that does not "
        "render...): the values and moves were kept, the follow-up skipped. "
        "Cleared when a follow-up of this stage or policy succeeds again.",
    )
    follow_up_error_date = fields.Datetime(readonly=True, copy=False)

    @api.constrains("activity_days")
    def _check_activity_days(self):
        for record in self:
            if not 0 <= record.activity_days <= MAX_FOLLOW_UP_DAYS:
                raise ValidationError(
                    _(
                        "The follow-up delay must be between 0 and %(max)s days.",
                        max=MAX_FOLLOW_UP_DAYS,
                    )
                )

    @api.constrains("activity_user_id")
    def _check_activity_user(self):
        for record in self:
            user = record.activity_user_id
            if user and not user._is_follow_up_user():
                raise ValidationError(
                    _(
                        "Follow-up activities go to active internal users only; "
                        "%(user)s is not one.",
                        user=user.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_number_vals(self, vals)
        return super().create(vals_list)

    def write(self, vals):
        check_number_vals(self, vals)
        return super().write(vals)

    def _follow_up_users(self, partner, company):
        """Who gets this stage's or policy's activity for the customer
        ``partner`` in ``company``: its salesperson or the chosen user, by
        ``activity_user_mode``; never a portal or archived user (a
        salesperson who left): then the chosen user, else nobody."""
        self.ensure_one()
        users = self.env["res.users"]
        if self.activity_user_mode == "salesperson":
            users = partner.user_id
        return users.filtered(
            lambda u: u._is_follow_up_user(company)
        ) or self.activity_user_id.filtered(lambda u: u._is_follow_up_user(company))

    def _record_follow_up_error(self, error):
        """Keep the failure on the stage or policy for its administrators."""
        # sudo: the engine records it whoever triggered the computation
        self.sudo().write(
            {
                "follow_up_error": str(error)[:2000],
                "follow_up_error_date": fields.Datetime.now(),
            }
        )

    def _clear_follow_up_error(self):
        # sudo: the engine clears it whoever triggered the computation
        failed = self.sudo().filtered("follow_up_error")
        if failed:
            failed.write({"follow_up_error": False, "follow_up_error_date": False})
