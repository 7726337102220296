# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError


class CrmCustomerRequest(models.Model):
    """Customer requests by email: the requests alias, a request created from a
    message (or kept for review when it cannot be taken as it came), and the
    first answer sent to the customer."""

    _inherit = "crm.customer.request"  # pylint: disable=R8180

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A request created from an email to the requests alias."""
        values = dict(custom_values or {})
        author = self.env["res.partner"].browse(msg_dict.get("author_id"))
        values.setdefault(
            "name", (msg_dict.get("subject") or "").strip() or _("(no subject)")
        )
        values.setdefault("description", msg_dict.get("body"))
        values.setdefault("request_date", self._received_date(msg_dict.get("date")))
        email = tools.email_normalize(msg_dict.get("email_from") or "")
        if author:
            values.setdefault("partner_id", author.commercial_partner_id.id)
            values.setdefault("contact_id", author.id)
        elif self._request_alias().alias_contact == "everyone" and email:
            # the administrator accepts requests from anyone: the unknown
            # sender becomes a contact
            partner = self.env["res.partner"].find_or_create(msg_dict["email_from"])
            values.setdefault("partner_id", partner.id)
        elif self._request_alias().alias_contact == "everyone":
            # no usable sender: the message is kept on a request to review
            # (raising would bounce it and mark the alias invalid)
            values.setdefault("needs_review", True)
        else:
            # known contacts only (the default): Odoo's mail gateway already
            # bounces unknown senders of the alias; any other route lands here
            raise UserError(
                _(
                    "Customer requests by email are accepted from known contacts "
                    "only; %(email)s is not one.",
                    email=msg_dict.get("email_from") or _("an unknown sender"),
                )
            )
        values.setdefault("user_id", False)
        try:
            with self.env.cr.savepoint():
                return super().message_new(msg_dict, custom_values=values)
        except UserError as error:  # ValidationError included
            # a message the request cannot take as it came (a contact of
            # another company...): kept on a request to review, with why,
            # instead of a bounce that marks the alias invalid
            review = {
                "name": values["name"],
                "description": values.get("description"),
                "request_date": values["request_date"],
                "needs_review": True,
                "user_id": False,
            }
            request = super().message_new(msg_dict, custom_values=review)
            request._message_log(
                body=_(
                    "Kept for review: the email could not be taken as it came "
                    "(%(error)s).",
                    error=error,
                )
            )
            return request

    @api.model
    def _received_date(self, date):
        """When a request by email was received: the sender's date, never
        later than now (a sender's clock or a forged header is not trusted
        beyond the time the message arrived)."""
        now = fields.Datetime.now()
        try:
            sent = fields.Datetime.to_datetime(date) if date else None
        except ValueError:
            sent = None
        return min(sent, now) if sent else now

    @api.model
    def _request_alias(self):
        """The alias whose emails create customer requests (may be empty)."""
        return (
            self.env.ref(
                "crm_relationship.mail_alias_customer_request", raise_if_not_found=False
            )
            or self.env["mail.alias"]
        )

    @api.model
    def _setup_request_alias(self, name="requests"):
        """At install: name the requests alias ``name`` unless another alias
        already has that name (then it stays empty, and an administrator
        names it in the settings). Never raises."""
        # sudo: the alias is configuration, named once at install
        alias = self._request_alias().sudo()
        if not alias or alias.alias_name:
            return alias
        # sudo: any alias's name, to avoid taking one
        Alias = self.env["mail.alias"].sudo()
        taken = Alias.search_count(
            [("alias_name", "=", name), ("id", "!=", alias.id)], limit=1
        )
        if not taken:
            alias.alias_name = name
        return alias

    def _message_post_after_hook(self, message, msg_vals):
        """An answer by an employee to the customer is the first response."""
        if (
            message.message_type == "comment"
            and not message.is_internal
            and not (message.subtype_id and message.subtype_id.internal)
            and message.author_id.user_ids
            and not message.author_id.user_ids[0].share
        ):
            self._stamp("first_response_date")
        return super()._message_post_after_hook(message, msg_vals)
