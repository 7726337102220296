# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Demo data only: the month-end history of the demo database, called by the
demo files of both addons. No business code calls it."""

from odoo import api, models


class CrmRelationshipDemo(models.AbstractModel):
    """Demo data only: no table, no business code calls it."""

    _name = "crm.relationship.demo"
    _description = "Relationship Demo Helpers"

    @api.model
    def _demo_history(self, months=12):
        """Write the last ``months`` month ends of every company now (the demo
        orders are spread over the past two years), as the scheduled action
        would in the background."""
        Snapshot = self.env["crm.relationship.snapshot"]
        # sudo: the demo history of every company
        companies = self.env["res.company"].sudo().search([])
        for company in companies:
            company.history_months = months
        Snapshot._schedule_backfill(companies)
        while Snapshot._cron_history():
            pass
