# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .crm_relationship_rule_mixin import check_number_vals

# the history's month ends: at most this many months back (history_months is
# at most 120) and never after the month in progress
HISTORY_HORIZON_MONTHS = 121


class ResCompany(models.Model):
    _inherit = "res.company"

    rfm_window_days = fields.Integer(
        default=365,
        help="Window W of the RFM frequency and monetary values, product category "
        "and contact counts: the last N days up to today.",
        groups="base.group_user",
    )
    lost_after_days = fields.Integer(
        default=365,
        help="A gap between two order days longer than this many days makes the "
        "later order a reactivation (the customer was won back).",
        groups="base.group_user",
    )
    value_tier_a_percent = fields.Float(
        default=80.0,
        help="Pareto tier A: customers whose preceding share of the window's "
        "revenue is below this percentage.",
        groups="base.group_user",
    )
    value_tier_b_percent = fields.Float(
        default=95.0,
        help="Pareto tier B: customers whose preceding share of the window's "
        "revenue is below this percentage (and not in tier A).",
        groups="base.group_user",
    )

    relationship_time_budget = fields.Integer(
        string="Scheduled Action Time Budget (s)",
        default=60,
        help="A run of the scheduled action that updates customers stops taking "
        "work after this many seconds, commits what it finished and starts a new "
        "run for the rest. Keep it well under the server's limit_time_real_cron "
        "(limit_time_real when that is not set).",
        groups="base.group_system",
    )

    history_months = fields.Integer(
        string="History (months)",
        default=24,
        help="Month ends of history the backfill computes from past orders "
        "(docs/history.md); later month ends are added each month.",
        groups="base.group_user",
    )
    history_next_date = fields.Date(
        string="History: Next Month End",
        help="The next month end the history backfill writes; empty when it is "
        "done.",
        groups="base.group_system",
    )
    history_last_date = fields.Date(
        string="History: Last Month End",
        help="The last month end written in order; the scheduled action writes "
        "the later ones.",
        groups="base.group_system",
    )

    request_complaint_hours = fields.Integer(
        string="Complaint Response (hours)",
        default=24,
        help="A complaint must have a first answer within this many hours.",
        groups="base.group_user",
    )
    request_repair_hours = fields.Integer(
        string="Repair Response (hours)",
        default=48,
        help="A repair request must have a first answer within this many hours.",
        groups="base.group_user",
    )
    request_question_hours = fields.Integer(
        string="Question Response (hours)",
        default=72,
        help="A question must have a first answer within this many hours.",
        groups="base.group_user",
    )
    complaint_risk_days = fields.Integer(
        string="Complaint Risk (days)",
        default=7,
        help="A complaint open longer than this many days raises the customer's "
        "churn risk, with the complaint as the reason.",
        groups="base.group_user",
    )
    price_conflict_tolerance_percent = fields.Float(
        string="Price Conflict Tolerance %",
        default=5.0,
        help="Quoting a customer a unit price that differs by more than this "
        "from another salesperson's open or recent quote or order of the same "
        "product warns on the quotation.",
        groups="base.group_user",
    )
    price_conflict_days = fields.Integer(
        string="Price Conflict Window (days)",
        default=90,
        help="Confirmed orders and quotations of the last N days are compared, "
        "as well as all open quotations.",
        groups="base.group_user",
    )
    price_conflict_block = fields.Boolean(
        string="Block Confirmation on Price Conflict",
        help="Refuse to confirm a quotation whose prices conflict with another "
        "salesperson's; otherwise only warn.",
        groups="base.group_user",
    )

    def _request_response_hours(self, request_type):
        self.ensure_one()
        return {
            "complaint": self.request_complaint_hours,
            "repair": self.request_repair_hours,
            "question": self.request_question_hours,
        }.get(request_type, self.request_question_hours)

    @api.constrains(
        "request_complaint_hours",
        "request_repair_hours",
        "request_question_hours",
        "complaint_risk_days",
        "price_conflict_tolerance_percent",
        "price_conflict_days",
        "relationship_time_budget",
    )
    def _check_request_settings(self):
        for company in self:
            # sudo: the budget is a system field
            if not 5 <= company.sudo().relationship_time_budget <= 3600:
                raise ValidationError(
                    _(
                        "The scheduled action's time budget must be between 5 "
                        "and 3600 seconds."
                    )
                )
            for hours in (
                company.request_complaint_hours,
                company.request_repair_hours,
                company.request_question_hours,
            ):
                if not 1 <= hours <= 24 * 365:
                    raise ValidationError(
                        _("Response times must be between 1 hour and one year.")
                    )
            if not 1 <= company.complaint_risk_days <= 3650:
                raise ValidationError(
                    _("The complaint risk delay must be between 1 and 3650 days.")
                )
            if not 0 <= company.price_conflict_tolerance_percent <= 100:
                raise ValidationError(
                    _("The price conflict tolerance must be between 0 and 100 %.")
                )
            if not 1 <= company.price_conflict_days <= 3650:
                raise ValidationError(
                    _("The price conflict window must be between 1 and 3650 days.")
                )

    @api.constrains("history_months", "history_next_date", "history_last_date")
    def _check_history_months(self):
        today = fields.Date.context_today(self)
        low = today - relativedelta(months=HISTORY_HORIZON_MONTHS)
        high = today + relativedelta(months=1)
        for company in self:
            if not 1 <= company.history_months <= 120:
                raise ValidationError(
                    _("The history must hold between 1 and 120 months.")
                )
            for day in (company.history_next_date, company.history_last_date):
                if day and not low <= day <= high:
                    raise ValidationError(
                        _(
                            "History month ends must lie between %(low)s and "
                            "%(high)s (got %(day)s).",
                            low=low,
                            high=high,
                            day=day,
                        )
                    )

    @api.constrains(
        "rfm_window_days",
        "lost_after_days",
        "value_tier_a_percent",
        "value_tier_b_percent",
    )
    def _check_relationship_settings(self):
        for company in self:
            if not 1 <= company.rfm_window_days <= 3650:
                raise ValidationError(
                    _("The RFM window must be between 1 and 3650 days.")
                )
            if not 1 <= company.lost_after_days <= 3650:
                raise ValidationError(
                    _("The 'lost after' period must be between 1 and 3650 days.")
                )
            if not (
                0 < company.value_tier_a_percent < company.value_tier_b_percent <= 100
            ):
                raise ValidationError(
                    _(
                        "Value tier thresholds must satisfy 0 < A < B <= 100 "
                        "(got A = %(a)s %%, B = %(b)s %%).",
                        a=company.value_tier_a_percent,
                        b=company.value_tier_b_percent,
                    )
                )

    # ------------------------------------------------------------------
    # Settings that change values already computed
    # ------------------------------------------------------------------
    @api.model
    def _settings_requeue(self):
        """{setting: method of the companies whose setting changed}: the
        settings that change values already computed, and what queues them
        again."""
        return dict.fromkeys(
            [
                "rfm_window_days",
                "lost_after_days",
                "value_tier_a_percent",
                "value_tier_b_percent",
                "complaint_risk_days",
            ],
            "_requeue_customers",
        )

    def write(self, vals):
        check_number_vals(self, vals)
        hooks = {
            name: method
            for name, method in self._settings_requeue().items()
            if name in vals
        }
        before = {
            company.id: {name: company[name] for name in hooks} for company in self
        }
        res = super().write(vals)
        for method in sorted(set(hooks.values())):
            names = [name for name, hook in hooks.items() if hook == method]
            changed = self.filtered(
                lambda c, names=names: any(before[c.id][n] != c[n] for n in names)
            )
            if changed:
                getattr(changed, method)()
        return res

    def _requeue_customers(self):
        """Queue every customer of these companies and wake the scheduled
        action: the new settings apply to all of them, not only to the
        customers whose orders change next. No company: nothing queued."""
        if not self:
            return
        self.env["crm.relationship.queue"]._enqueue_companies(self)
