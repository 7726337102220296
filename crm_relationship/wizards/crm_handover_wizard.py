# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..report.crm_commitment import COMMITMENT_KINDS


class CrmHandoverWizard(models.TransientModel):
    """Hand customers over to another salesperson with their open work."""

    _name = "crm.handover.wizard"
    _description = "Customer Handover"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        required=True,
        default=lambda self: self._default_partner_ids(),
    )
    new_user_id = fields.Many2one(
        "res.users",
        string="New Salesperson",
        required=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    move_quotations = fields.Boolean(
        string="Open Quotations",
        default=True,
        help="Quotations of the customer held by its current salesperson.",
    )
    move_orders = fields.Boolean(
        string="Open Orders",
        default=True,
        help="Confirmed orders not fully invoiced, held by the current salesperson.",
    )
    move_opportunities = fields.Boolean(
        string="Open Opportunities",
        default=True,
        help="Open opportunities of the current salesperson (CRM app).",
    )
    move_activities = fields.Boolean(
        string="Open Activities",
        default=True,
        help="The current salesperson's activities on the customer, its contacts "
        "and the documents moved.",
    )
    move_followers = fields.Boolean(
        string="Followers",
        default=True,
        help="The new salesperson follows the customer and the documents moved; "
        "the previous one stops following them.",
    )
    plan_id = fields.Many2one(
        "mail.activity.plan",
        string="Activity Plan",
        domain="[('res_model', '=', 'res.partner')]",
        help="Activities to schedule for the new salesperson on each customer "
        "(e.g. an introduction call).",
    )
    has_crm = fields.Boolean(compute="_compute_has_crm")
    note_preview = fields.Html(
        compute="_compute_note_preview",
        sanitize=False,
        help="What is open and will be in the handover note.",
    )

    @api.model
    def _default_partner_ids(self):
        if self.env.context.get("active_model") != "res.partner":
            return False
        partners = self.env["res.partner"].browse(self.env.context.get("active_ids"))
        return partners.commercial_partner_id

    def _compute_has_crm(self):
        for wizard in self:
            wizard.has_crm = "crm.lead" in self.env

    @api.depends("partner_ids", "company_id")
    def _compute_note_preview(self):
        for wizard in self:
            wizard.note_preview = Markup("").join(
                wizard._handover_note(partner) for partner in wizard.partner_ids[:5]
            )

    # ------------------------------------------------------------------
    def _open_documents(self, partner, user):
        """The open documents of ``partner`` held by ``user``."""
        domain = [
            ("partner_id", "child_of", partner.id),
            ("company_id", "=", self.company_id.id),
            ("user_id", "=", user.id),
        ]
        SaleOrder = self.env["sale.order"]
        quotations = SaleOrder.browse()
        orders = SaleOrder.browse()
        if self.move_quotations:
            quotations = SaleOrder.search(domain + [("state", "in", ("draft", "sent"))])
        if self.move_orders:
            orders = SaleOrder.search(
                domain + [("state", "=", "sale"), ("invoice_status", "!=", "invoiced")]
            )
        opportunities = None
        if self.move_opportunities and "crm.lead" in self.env:
            opportunities = self.env["crm.lead"].search(
                domain + [("type", "=", "opportunity"), ("probability", "<", 100)]
            )
        return quotations, orders, opportunities

    def _handover_note(self, partner):
        """HTML summary of what is open with the customer."""
        # in the dialog (onchange) the customers are new records: search by
        # the real ones
        partner = partner._origin.with_company(self.company_id)
        rows = (
            self.env["crm.commitment"]
            # sudo: the note lists every open promise, whoever made it
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "in", (False, self.company_id.id)),
                ]
            )
        )
        kinds = dict(COMMITMENT_KINDS)
        parts = [
            Markup("<p><b>%s</b></p>") % partner.display_name,
            Markup("<p>%s</p>")
            % self.env._(
                "Stage: %(stage)s. Churn risk: %(risk)s %%%(reason)s.",
                stage=partner.relationship_stage_id.name or self.env._("none"),
                risk=round(partner.churn_risk or 0),
                reason=f" ({partner.churn_risk_reason})"
                if partner.churn_risk_reason
                else "",
            ),
        ]
        for kind, label in kinds.items():
            mine = rows.filtered(lambda r, k=kind: r.kind == k)
            if not mine:
                continue
            items = Markup("").join(
                Markup("<li>%s</li>") % self._commitment_line(row) for row in mine
            )
            parts.append(Markup("<p>%s</p><ul>%s</ul>") % (label, items))
        since = fields.Datetime.now() - timedelta(days=90)
        complaints = (
            self.env["crm.customer.request"]
            # sudo: the note lists the customer's complaints, whoever handles them
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", self.company_id.id),
                    ("request_type", "=", "complaint"),
                    ("request_date", ">=", since),
                ]
            )
        )
        if complaints:
            states = dict(complaints._fields["state"]._description_selection(self.env))
            items = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(date)s %(name)s (%(state)s)",
                    date=fields.Date.to_string(c.request_date.date()),
                    name=c.name,
                    state=states[c.state],
                )
                for c in complaints
            )
            parts.append(
                Markup("<p>%s</p><ul>%s</ul>")
                % (self.env._("Complaints of the last 90 days"), items)
            )
        if len(parts) == 2:
            parts.append(Markup("<p>%s</p>") % self.env._("Nothing open."))
        return Markup("").join(parts)

    def _commitment_line(self, row):
        bits = [row.name or ""]
        if row.kind == "request":
            types = dict(
                self.env["crm.customer.request"]
                ._fields["request_type"]
                ._description_selection(self.env)
            )
            bits.append(types.get(row.description, row.description))
        elif row.description:
            bits.append(row.description)
        if row.product_id:
            bits.append(
                self.env._(
                    "%(qty)s x %(product)s at %(price)s",
                    qty=row.quantity,
                    product=row.product_id.display_name,
                    price=row.currency_id.format(row.price_unit)
                    if row.currency_id
                    else row.price_unit,
                )
            )
        if row.date_from and row.kind == "promise" and row.date_from != row.date_due:
            bits.append(self.env._("first promised %(date)s", date=row.date_from))
        if row.date_due:
            bits.append(self.env._("due %(date)s", date=row.date_due))
        if row.user_id:
            bits.append(self.env._("by %(user)s", user=row.user_id.name))
        return escape(" — ".join(str(b) for b in bits))

    # ------------------------------------------------------------------
    def action_handover(self):
        self.ensure_one()
        if not self.env.user.has_group(
            "crm_relationship.crm_relationship_group_manager"
        ):
            raise UserError(
                self.env._("Only relationship managers may hand customers over.")
            )
        new_user = self.new_user_id
        if not new_user._is_follow_up_user(self.company_id):
            raise UserError(
                self.env._(
                    "Customers can be handed over only to an active internal user "
                    "of %(company)s; %(user)s is not one.",
                    company=self.company_id.name,
                    user=new_user.display_name,
                )
            )
        # sudo: handover records are written by this wizard only (no one has
        # the right to create them by hand), after the checks above
        logs = self.env["crm.handover"].sudo()
        for partner in self.partner_ids.commercial_partner_id:
            from_user = partner.user_id
            if from_user == new_user:
                raise UserError(
                    self.env._(
                        "%(user)s already handles %(customer)s.",
                        user=new_user.name,
                        customer=partner.display_name,
                    )
                )
            note = self._handover_note(partner)
            quotations, orders, opportunities = self._open_documents(partner, from_user)
            documents = quotations | orders
            documents.write({"user_id": new_user.id})
            if opportunities:
                opportunities.write({"user_id": new_user.id})
            family = self.env["res.partner"].search(
                [("id", "child_of", partner.id), ("user_id", "=", from_user.id)]
            )
            (family | partner).write({"user_id": new_user.id})
            activities = self.env["mail.activity"]
            if self.move_activities and from_user:
                activities = self._open_activities(
                    partner, from_user, documents, opportunities
                )
                activities.write({"user_id": new_user.id})
            if self.move_followers:
                targets = [partner, documents]
                if opportunities:
                    targets.append(opportunities)
                for records in targets:
                    if not records:
                        continue
                    records.message_subscribe(partner_ids=new_user.partner_id.ids)
                    if from_user and from_user.partner_id != new_user.partner_id:
                        records.message_unsubscribe(
                            partner_ids=from_user.partner_id.ids
                        )
            partner.message_post(
                body=Markup("<p>%s</p>%s")
                % (
                    self.env._(
                        "Handover from %(old)s to %(new)s.",
                        old=from_user.name or self.env._("nobody"),
                        new=new_user.name,
                    ),
                    note,
                ),
                partner_ids=new_user.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            if self.plan_id:
                self.env["mail.activity.schedule"].with_context(
                    active_model="res.partner", active_ids=partner.ids
                ).create(
                    {
                        "res_model": "res.partner",
                        "res_ids": str(partner.ids),
                        "plan_id": self.plan_id.id,
                        "plan_on_demand_user_id": new_user.id,
                    }
                ).action_schedule_plan()
            logs |= logs.create(
                {
                    "partner_id": partner.id,
                    "from_user_id": from_user.id,
                    "to_user_id": new_user.id,
                    "company_id": self.company_id.id,
                    "note": note,
                    "stage_id": partner.with_company(
                        self.company_id
                    ).relationship_stage_id.id,
                    "quotation_count": len(quotations),
                    "order_count": len(orders),
                    "opportunity_count": len(opportunities or []),
                    "activity_count": len(activities),
                }
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Handovers"),
            "res_model": "crm.handover",
            "view_mode": "list,form",
            "domain": [("id", "in", logs.ids)],
        }

    def _open_activities(self, partner, user, documents, opportunities):
        family = self.env["res.partner"].search([("id", "child_of", partner.id)])
        targets = [("res.partner", family), ("sale.order", documents)]
        if opportunities:
            targets.append(("crm.lead", opportunities))
        where = expression.OR(
            [
                [("res_model", "=", model), ("res_id", "in", records.ids)]
                for model, records in targets
            ]
        )
        return self.env["mail.activity"].search(
            expression.AND([[("user_id", "=", user.id)], where])
        )
