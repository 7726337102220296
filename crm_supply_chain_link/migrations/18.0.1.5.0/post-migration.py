# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """18.0.1.5.0 adds the service and profit values to the month-end history:
    it is computed again with them."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.relationship.snapshot"]._schedule_backfill(env["res.company"].search([]))
