# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.crm_relationship.models.crm_customer_request import REQUEST_TYPES
from odoo.addons.crm_relationship.models.crm_relationship_rule_mixin import (
    check_number,
    check_number_vals,
)

COST_DRIVERS = [
    ("order", "Order"),
    ("order_line", "Order line"),
    ("delivery", "Delivery"),
    ("return", "Return"),
    ("request", "Customer request"),
    ("credit_note", "Credit note"),
    ("late_order", "Late or overdue order"),
]


class CrmCostDriver(models.Model):
    """What serving a customer costs, per event (../shared/METRICS.md, 7).

    A customer's cost to serve is the sum over the company's active drivers
    of the customer's events in the RFM window times the driver's cost.
    Changing a driver queues every customer of its company again.
    """

    _name = "crm.cost.driver"
    _description = "Cost-to-Serve Driver"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    driver = fields.Selection(
        COST_DRIVERS,
        required=True,
        help="The event that costs: an order confirmed, one of its lines, a "
        "delivery done, a return received, a customer request, a credit note "
        "posted, an order late or overdue at its due day.",
    )
    request_type = fields.Selection(
        REQUEST_TYPES,
        help="Customer requests only: count only the requests of this type "
        "(empty: every request).",
    )
    cost = fields.Monetary(
        required=True,
        default=0.0,
        help="Cost of one event, in the company's currency.",
    )

    @api.constrains("name", "cost", "driver", "request_type")
    def _check_cost(self):
        for driver in self:
            if not (driver.name or "").strip():
                raise ValidationError(_("A cost driver needs a name."))
            check_number(
                self.env,
                driver.cost,
                _("The cost of '%(driver)s'", driver=driver.name),
                low=0,
                high=1e12,
            )
            if driver.cost < 0:
                raise ValidationError(
                    _(
                        "The cost of '%(driver)s' cannot be negative.",
                        driver=driver.name,
                    )
                )
            if driver.request_type and driver.driver != "request":
                raise ValidationError(
                    _(
                        "Only a customer request driver can have a request type "
                        "('%(driver)s').",
                        driver=driver.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_number_vals(self, vals)
        drivers = super().create(vals_list)
        drivers.filtered("active").company_id._requeue_customers()
        return drivers

    def write(self, vals):
        check_number_vals(self, vals)
        before = self.filtered("active").company_id
        res = super().write(vals)
        if {"active", "cost", "driver", "request_type", "company_id"} & set(vals):
            (before | self.filtered("active").company_id)._requeue_customers()
        return res

    def unlink(self):
        companies = self.filtered("active").company_id
        res = super().unlink()
        companies._requeue_customers()
        return res
