# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models

STAGE_RANK = {
    "prospect": 1,
    "new": 2,
    "won_back": 2,
    "active": 3,
    "loyal": 4,
    "at_risk": 1,
    "lost": 0,
}


class CrmHandover(models.Model):
    """One customer handed from one salesperson to another, and how it went."""

    _name = "crm.handover"
    _description = "Customer Handover"
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    from_user_id = fields.Many2one("res.users", string="From", readonly=True)
    to_user_id = fields.Many2one("res.users", string="To", required=True, readonly=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    note = fields.Html(readonly=True, help="What was open at the handover.")
    stage_id = fields.Many2one(
        "crm.relationship.stage",
        string="Stage at Handover",
        readonly=True,
        ondelete="set null",
    )
    quotation_count = fields.Integer(string="Quotations Moved", readonly=True)
    order_count = fields.Integer(string="Orders Moved", readonly=True)
    opportunity_count = fields.Integer(string="Opportunities Moved", readonly=True)
    activity_count = fields.Integer(string="Activities Moved", readonly=True)
    ordered_again = fields.Boolean(
        compute="_compute_continuity",
        help="The customer confirmed an order within 90 days after the handover.",
    )
    stage_fell = fields.Boolean(
        compute="_compute_continuity",
        help="The customer's stage is now lower than at the handover (e.g. active "
        "to at risk or lost).",
    )

    @api.depends("partner_id", "date", "stage_id")
    def _compute_continuity(self):
        orders = (
            self.env["sale.order"]
            # sudo: continuity counts the customer's orders whoever holds them
            .sudo()
            ._read_group(
                [
                    ("partner_id", "child_of", self.partner_id.ids),
                    ("state", "=", "sale"),
                    (
                        "date_order",
                        ">=",
                        min(self.mapped("date") or [fields.Date.today()]),
                    ),
                ],
                ["partner_id", "company_id"],
                ["date_order:array_agg"],
            )
        )
        days = {}
        for partner, company, dates in orders:
            key = (partner.commercial_partner_id, company)
            days.setdefault(key, []).extend(dates)
        for handover in self:
            start = handover.date
            end = start + timedelta(days=90)
            handover.ordered_again = any(
                start < d <= end
                for d in days.get((handover.partner_id, handover.company_id), [])
            )
            current = (
                handover.partner_id.with_company(handover.company_id)
                # sudo: the stage now, whatever the reader's rules on the values
                .sudo()
                .relationship_stage_id
            )
            handover.stage_fell = bool(
                handover.stage_id
                and current
                and STAGE_RANK.get(current.stage_type, 0)
                < STAGE_RANK.get(handover.stage_id.stage_type, 0)
            )
