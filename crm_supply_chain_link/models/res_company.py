# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..engine import queue_queries


class ResCompany(models.Model):
    _inherit = "res.company"

    late_tolerance_days = fields.Integer(
        default=0,
        help="Days after the promised day that still count as on time.",
        groups="base.group_user",
    )
    qty_tolerance_percent = fields.Float(
        default=0.0,
        help="A line delivered at ordered quantity x (1 - this %) counts as in full.",
        groups="base.group_user",
    )
    service_window_days = fields.Integer(
        default=90,
        help="Customer service rates cover the orders due in the last N days.",
        groups="base.group_user",
    )
    service_risk_otif_threshold = fields.Float(
        string="Service Risk OTIF Threshold",
        default=80.0,
        help="Customers without a service-level policy are at risk when their "
        "OTIF rate over the window is below this percentage.",
        groups="base.group_user",
    )

    @api.constrains(
        "late_tolerance_days",
        "qty_tolerance_percent",
        "service_window_days",
        "service_risk_otif_threshold",
    )
    def _check_service_settings(self):
        for company in self:
            if not 0 <= company.late_tolerance_days <= 365:
                raise ValidationError(
                    _("The late tolerance must be between 0 and 365 days.")
                )
            if not 0 <= company.qty_tolerance_percent < 100:
                raise ValidationError(
                    _("The quantity tolerance must be at least 0 % and below 100 %.")
                )
            if not 1 <= company.service_window_days <= 3650:
                raise ValidationError(
                    _("The service window must be between 1 and 3650 days.")
                )
            if not 0 <= company.service_risk_otif_threshold <= 100:
                raise ValidationError(
                    _("The OTIF risk threshold must be between 0 and 100 %.")
                )

    @api.model
    def _settings_requeue(self):
        hooks = super()._settings_requeue()
        hooks.update(
            dict.fromkeys(
                ["service_window_days", "service_risk_otif_threshold"],
                "_requeue_customers",
            )
        )
        # the tolerances decide the due day and "in full" of closed orders too
        hooks.update(
            dict.fromkeys(
                ["late_tolerance_days", "qty_tolerance_percent"], "_requeue_orders"
            )
        )
        return hooks

    def _requeue_orders(self):
        """Queue every measured order of these companies: the tolerances
        decide the due day and "in full" of closed orders too. The scheduled
        action computes them, then queues their customers."""
        self.env["crm.order.service"].flush_model()
        self.env.cr.execute(queue_queries.append_company_orders(self.ids))
        self.env["crm.relationship.queue"]._wake()
