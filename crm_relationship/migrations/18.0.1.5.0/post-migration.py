# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """18.0.1.5.0 scores R, F and M among the customers with an order in the
    window (../shared/METRICS.md section 1; the others score 1, 1, 1): every
    customer of every company is queued, and the scheduled action writes the
    new scores (stage moves follow as after any computation). Month ends
    already written keep the scores of their time."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.company"].search([])._requeue_customers()
