# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    rfm_window_days = fields.Integer(
        default=365,
        help="Window W of the RFM frequency and monetary values, product category "
        "and contact counts: the last N days up to today.",
    )
    lost_after_days = fields.Integer(
        default=365,
        help="A gap between two order days longer than this many days makes the "
        "later order a reactivation (the customer was won back).",
    )
    value_tier_a_percent = fields.Float(
        default=80.0,
        help="Pareto tier A: customers whose preceding share of the window's "
        "revenue is below this percentage.",
    )
    value_tier_b_percent = fields.Float(
        default=95.0,
        help="Pareto tier B: customers whose preceding share of the window's "
        "revenue is below this percentage (and not in tier A).",
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
