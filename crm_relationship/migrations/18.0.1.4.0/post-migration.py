# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api

LIFE_ORDER = {
    "prospect": 10,
    "new": 20,
    "active": 30,
    "loyal": 40,
    "at_risk": 50,
    "lost": 60,
    "won_back": 70,
}


def migrate(cr, version):
    """18.0.1.4.0 adds the month-end history: an upgraded database gets it
    computed from its past orders, as a new install does. The stages get a
    display order, a customer's life order by their type (the rules keep
    their sequence)."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for stage in (
        env["crm.relationship.stage"].with_context(active_test=False).search([])
    ):
        stage.display_sequence = LIFE_ORDER.get(stage.stage_type, 100)
    env["crm.relationship.snapshot"]._schedule_backfill(env["res.company"].search([]))
