# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Since 18.0.1.2.0 the requests alias takes emails from known contacts only
    by default (an unknown sender no longer becomes a contact). The alias that
    earlier versions installed accepted anyone: it follows the new default; an
    administrator may open it to anyone again in the settings."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    alias = env.ref(
        "crm_relationship.mail_alias_customer_request", raise_if_not_found=False
    )
    if alias and alias.alias_contact == "everyone":
        alias.alias_contact = "partners"
