# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """18.0.1.4.0 adds the month-end history: an upgraded database gets it
    computed from its past orders, as a new install does."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["crm.relationship.snapshot"]._schedule_backfill(env["res.company"].search([]))
