# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

REQUEST_TYPES = [
    ("complaint", "Complaint"),
    ("repair", "Repair request"),
    ("question", "Question"),
]
REQUEST_STATES = [
    ("new", "New"),
    ("in_progress", "In progress"),
    ("waiting", "Waiting on customer"),
    ("solved", "Solved"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("new", "in_progress", "waiting")


class CrmCustomerRequest(models.Model):
    """A complaint, repair request or question of a customer, with a response
    deadline, escalation when it passes, and its own chatter."""

    _name = "crm.customer.request"
    _description = "Customer Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_deadline, id desc"
    _check_company_auto = True
    _mail_post_access = "read"

    name = fields.Char(string="Subject", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        tracking=True,
        check_company=True,
        help="The customer (company); the request counts in its figures. "
        "Required, except on a request to review (an email whose sender could "
        "not be identified).",
    )
    needs_review = fields.Boolean(
        string="To Review",
        default=False,
        copy=False,
        tracking=True,
        help="Created from an email that could not be matched to a customer (no "
        "sender...): the message is kept here; set the customer and untick it.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="The person who asked, when not the customer itself.",
    )
    request_type = fields.Selection(
        REQUEST_TYPES, required=True, default="question", tracking=True
    )
    description = fields.Html()
    state = fields.Selection(
        REQUEST_STATES, required=True, default="new", tracking=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    request_date = fields.Datetime(
        string="Received",
        required=True,
        default=fields.Datetime.now,
        index=True,
        help="When the customer asked; response and solve times count from here.",
    )
    date_deadline = fields.Datetime(
        string="Response Due",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="When the customer must have had a first answer: the request's "
        "creation plus the response time of its type (company settings).",
    )
    first_response_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="First answer sent to the customer, or first move out of New.",
    )
    solved_date = fields.Datetime(readonly=True, copy=False)
    escalated = fields.Boolean(
        readonly=True,
        copy=False,
        help="The response was overdue and the responsible's manager was asked "
        "to act (done once).",
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Not answered and past its response due date.",
    )
    response_hours = fields.Float(
        compute="_compute_durations",
        store=True,
        aggregator="avg",
        help="Hours from creation to the first response.",
    )
    solve_hours = fields.Float(
        compute="_compute_durations",
        store=True,
        aggregator="avg",
        help="Hours from creation to solved.",
    )
    color = fields.Integer()

    @api.depends("request_type", "company_id", "request_date")
    def _compute_date_deadline(self):
        for request in self:
            start = request.request_date or fields.Datetime.now()
            request.date_deadline = start + timedelta(
                hours=request.company_id._request_response_hours(request.request_type)
            )

    @api.depends("date_deadline", "first_response_date", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_overdue = bool(
                request.state in OPEN_STATES
                and not request.first_response_date
                and request.date_deadline
                and request.date_deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise ValidationError(_("Unsupported search on overdue requests."))
        domain = [
            ("state", "in", OPEN_STATES),
            ("first_response_date", "=", False),
            ("date_deadline", "<", fields.Datetime.now()),
        ]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", "&", *domain]

    @api.depends("first_response_date", "solved_date", "request_date")
    def _compute_durations(self):
        for request in self:
            start = request.request_date
            request.response_hours = (
                (request.first_response_date - start).total_seconds() / 3600
                if start and request.first_response_date
                else 0.0
            )
            request.solve_hours = (
                (request.solved_date - start).total_seconds() / 3600
                if start and request.solved_date
                else 0.0
            )

    @api.constrains("partner_id", "contact_id")
    def _check_contact(self):
        for request in self:
            if (
                request.contact_id
                and request.contact_id.commercial_partner_id
                != request.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    _(
                        "The contact %(contact)s does not belong to %(customer)s.",
                        contact=request.contact_id.display_name,
                        customer=request.partner_id.display_name,
                    )
                )

    @api.constrains("partner_id", "needs_review")
    def _check_partner(self):
        for request in self:
            if not request.partner_id and not request.needs_review:
                raise ValidationError(
                    _(
                        "Request '%(name)s' needs a customer.",
                        name=request.name,
                    )
                )

    @api.constrains("name")
    def _check_name(self):
        for request in self:
            if not (request.name or "").strip():
                raise ValidationError(_("A request needs a subject."))

    @api.constrains(
        "request_date", "date_deadline", "first_response_date", "solved_date"
    )
    def _check_dates(self):
        for request in self:
            start = request.request_date
            if not start:
                continue
            for fname in ("date_deadline", "first_response_date", "solved_date"):
                if request[fname] and request[fname] < start:
                    raise ValidationError(
                        _(
                            "Request '%(name)s': %(field)s (%(date)s) cannot be "
                            "before it was received (%(received)s).",
                            name=request.name,
                            field=request._fields[fname].get_description(self.env)[
                                "string"
                            ],
                            date=request[fname],
                            received=start,
                        )
                    )

    @api.onchange("contact_id")
    def _onchange_contact_id(self):
        if self.contact_id and not self.partner_id:
            self.partner_id = self.contact_id.commercial_partner_id

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            if partner and partner.commercial_partner_id != partner:
                # the request belongs to the customer; the person is the contact
                vals.setdefault("contact_id", partner.id)
                vals["partner_id"] = partner.commercial_partner_id.id
        requests = super().create(vals_list)
        requests._enqueue_customers()
        return requests

    def write(self, vals):
        if "escalated" in vals and not self.env.su:
            # the escalation scheduled action sets it once it has asked the
            # manager to act; set by hand, no escalation would ever be sent
            raise AccessError(
                _("Escalation is set by the scheduled action only, not by hand.")
            )
        state = vals.get("state")
        if state:
            if state != "new":
                self._stamp("first_response_date")
            if state == "solved":
                self._stamp("solved_date")
            elif state in OPEN_STATES:
                vals = {"solved_date": False, **vals}
        res = super().write(vals)
        if {"state", "partner_id", "request_type", "company_id"} & set(vals):
            self._enqueue_customers()
        return res

    def _stamp(self, fname):
        """Set ``fname`` (first response, solved) to now on these requests
        that have none, in one write; a request received later than now (a
        clock ahead) gets its received time, so that no duration is
        negative."""
        now = fields.Datetime.now()
        pending = self.filtered(lambda r: not r[fname])
        ahead = pending.filtered(lambda r: r.request_date and r.request_date > now)
        (pending - ahead).write({fname: now})
        for request in ahead:
            request.write({fname: request.request_date})

    def _enqueue_customers(self):
        # sudo: the queue is the engine's (see sale.order._relationship_enqueue)
        self.env["crm.relationship.queue"].sudo()._enqueue(
            {
                (r.partner_id.commercial_partner_id.id, r.company_id.id)
                for r in self
                if r.partner_id
            }
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_start(self):
        self.write({"state": "in_progress"})

    def action_wait(self):
        self.write({"state": "waiting"})

    def action_solve(self):
        self.write({"state": "solved"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_reopen(self):
        self.write({"state": "in_progress"})

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate_overdue(self):
        """Overdue requests: an activity for the responsible's manager, once."""
        overdue = self.search([("is_overdue", "=", True), ("escalated", "=", False)])
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        for request in overdue:
            manager = request._escalation_manager()
            request.activity_schedule(
                activity_type_id=activity_type.id,
                summary=_(
                    "Overdue %(type)s: no answer since %(date)s",
                    type=dict(
                        self._fields["request_type"]._description_selection(self.env)
                    )[request.request_type],
                    date=fields.Datetime.to_string(request.request_date),
                ),
                note=_(
                    "The response was due on %(deadline)s (UTC). Responsible: "
                    "%(user)s.",
                    deadline=fields.Datetime.to_string(request.date_deadline),
                    user=request.user_id.name or _("nobody"),
                ),
                user_id=manager.id,
                date_deadline=fields.Date.context_today(self),
            )
        # sudo: only the scheduled action may set it (see write)
        overdue.sudo().write({"escalated": True})
        return overdue

    def _escalation_manager(self):
        """The leader of the responsible's sales team, else the responsible, else
        the user running the scheduled action."""
        self.ensure_one()
        user = self.user_id
        leader = user.sale_team_id.user_id if user else False
        return leader or user or self.env.user
