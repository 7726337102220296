# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The requests alias: named at install only when the name is free, known
contacts only by default, both chosen in the settings."""

from datetime import datetime

from freezegun import freeze_time

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

    def test_settings_saved_as_the_web_client_saves(self):
        # the web client sends every value with create(), then execute()
        self.env["res.config.settings"].create(
            {"request_alias_name": "web-desk", "request_alias_contact": "everyone"}
        ).execute()
        self.assertEqual(self.alias.alias_name, "web-desk")
        self.assertEqual(self.alias.alias_contact, "everyone")
        self.env["res.config.settings"].create(
            {"request_alias_contact": "partners"}
        ).execute()
        self.assertEqual(self.alias.alias_contact, "partners")
        self.assertEqual(self.alias.alias_name, "web-desk")

    @freeze_time("2026-06-30 12:00:00")
    def test_message_without_sender_is_kept_for_review(self):
        self.alias.alias_contact = "everyone"
        message = (
            "To: requests@example.com\r\n"
            "Subject: no-sender\r\n"
            "Message-ID: <no-sender@example.com>\r\n"
            "Content-Type: text/plain\r\n\r\n"
            "The pump is broken again.\r\n"
        )
        request = self.Request.browse(
            self.env["mail.thread"].message_process("crm.customer.request", message)
        )
        self.assertEqual(request.name, "no-sender")
        self.assertTrue(request.needs_review)
        self.assertFalse(request.partner_id)
        self.assertIn("The pump is broken again.", request.description)
        self.assertEqual(request.request_date, datetime(2026, 6, 30, 12, 0))
        # the alias stays valid
        self.assertNotEqual(self.alias.alias_status, "invalid")
        # reviewed: the customer set, the flag removed
        customer = self.env["res.partner"].create({"name": "Pump owner"})
        request.write({"partner_id": customer.id, "needs_review": False})
        self.assertEqual(request.partner_id, customer)

    @freeze_time("2026-06-30 12:00:00")
    def test_sender_date_not_trusted_beyond_received_time(self):
        customer = self.env["res.partner"].create(
            {"name": "Dated", "email": "dated@example.com"}
        )
        for subject, header, expected in (
            ("future", "Fri, 01 Jan 2100 10:00:00 +0000", datetime(2026, 6, 30, 12)),
            ("past", "Mon, 29 Jun 2026 08:30:00 +0000", datetime(2026, 6, 29, 8, 30)),
        ):
            message = MESSAGE.format(
                sender="Dated <dated@example.com>",
                to="requests@example.com",
                subject=f"dated-{subject}",
            ).replace("Content-Type", f"Date: {header}\r\nContent-Type")
            request = self.Request.browse(
                self.env["mail.thread"].message_process("crm.customer.request", message)
            )
            with self.subTest(subject=subject):
                self.assertEqual(request.partner_id, customer)
                self.assertEqual(request.request_date, expected)
                self.assertGreaterEqual(request.date_deadline, request.request_date)

    def test_message_the_request_cannot_take_is_kept(self):
        """A known sender that belongs to another company: the request of
        the current company cannot name it (Odoo's company check); the email
        is kept on a request to review, with why, and the alias stays valid."""
        other = self.env["res.company"].create({"name": "Alias Other Co"})
        self.env["res.partner"].create(
            {
                "name": "Other company's contact",
                "email": "elsewhere@example.com",
                "company_id": other.id,
            }
        )
        message = MESSAGE.format(
            sender="Elsewhere <elsewhere@example.com>",
            to="requests@example.com",
            subject="elsewhere",
        )
        request = self.Request.browse(
            self.env["mail.thread"].message_process("crm.customer.request", message)
        )
        self.assertEqual(request.name, "elsewhere")
        self.assertTrue(request.needs_review)
        self.assertFalse(request.partner_id)
        self.assertEqual(request.company_id, self.env.company)
        notes = request.message_ids.filtered(
            lambda m: "Kept for review" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
        self.assertNotEqual(self.alias.alias_status, "invalid")
