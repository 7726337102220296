# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The requests alias: named at install only when the name is free, known
contacts only by default, both chosen in the settings."""

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import BaseCommon

MESSAGE = (
    "From: {sender}\r\n"
    "To: {to}\r\n"
    "Subject: {subject}\r\n"
    "Message-ID: <{subject}@example.com>\r\n"
    "Content-Type: text/plain\r\n\r\n"
    "Please call me.\r\n"
)


@tagged("post_install", "-at_install")
class TestRequestAlias(BaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Request = cls.env["crm.customer.request"]
        cls.alias = cls.env.ref("crm_relationship.mail_alias_customer_request")

    def _settings(self):
        return self.env["res.config.settings"].create({})

    def test_installed_alias_takes_known_contacts_only(self):
        self.assertEqual(self.alias.alias_contact, "partners")
        settings = self._settings()
        self.assertEqual(settings.request_alias_contact, "partners")
        self.assertEqual(settings.request_alias_name, self.alias.alias_name)

    def test_name_taken_at_install_stays_empty(self):
        self.alias.alias_name = False
        other = self.env["mail.alias"].create(
            {
                "alias_name": "requests",
                "alias_model_id": self.env.ref("base.model_res_partner").id,
            }
        )
        self.Request._setup_request_alias()
        self.assertFalse(self.alias.alias_name)
        # the name is free again: the next set-up takes it
        other.unlink()
        self.Request._setup_request_alias()
        self.assertEqual(self.alias.alias_name, "requests")

    def test_settings_rename_and_open_to_anyone(self):
        settings = self._settings()
        settings.request_alias_name = "help-desk"
        settings.request_alias_contact = "everyone"
        settings.execute()
        self.assertEqual(self.alias.alias_name, "help-desk")
        self.assertEqual(self.alias.alias_contact, "everyone")
        # a name another alias has is refused, with nothing changed
        self.env["mail.alias"].create(
            {
                "alias_name": "taken",
                "alias_model_id": self.env.ref("base.model_res_partner").id,
            }
        )
        settings = self._settings()
        settings.request_alias_name = "taken"
        with self.assertRaises(UserError), self.env.cr.savepoint():
            settings.execute()
        self.assertEqual(self.alias.alias_name, "help-desk")

    def test_unknown_sender(self):
        Partner = self.env["res.partner"]
        message = MESSAGE.format(
            sender="Stranger <stranger@example.com>",
            to="requests@example.com",
            subject="unknown-1",
        )
        # known contacts only: no request, no contact created
        with (
            mute_logger("odoo.addons.mail.models.mail_thread"),
            self.assertRaisesRegex(UserError, "known contacts only"),
        ):
            self.env["mail.thread"].message_process("crm.customer.request", message)
        self.assertFalse(Partner.search([("email", "=", "stranger@example.com")]))
        # anyone: the sender becomes a contact and the request is created
        self.alias.alias_contact = "everyone"
        message = message.replace("unknown-1", "unknown-2")
        request = self.Request.browse(
            self.env["mail.thread"].message_process("crm.customer.request", message)
        )
        self.assertEqual(request.name, "unknown-2")
        self.assertEqual(request.partner_id.email, "stranger@example.com")
