# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CrmRelationshipPass(models.Model):
    """A company whose pass over many customers (the nightly pass, a setting
    or cost driver changed) was cut by the time budget: until it is done,
    every call of the scheduled action rewrites the company-wide values of
    every customer of the company, its last small call included
    (``crm.relationship.queue._drain``).

    A table of the engine's own, written only by the call that holds the
    company's drain lock: the company row itself is written by other
    scheduled actions (the history), which would make both fail with a
    serialization error.
    """

    _name = "crm.relationship.pass"
    _description = "Relationship Company Pass in Progress"
    _log_access = False

    company_id = fields.Many2one(
        "res.company", required=True, ondelete="cascade", readonly=True
    )

    _sql_constraints = [("company_uniq", "unique(company_id)", "One row per company.")]

    @api.model
    def _set(self, company_id, pending):
        """Mark the company's pass as in progress, or done."""
        # sudo: the engine's own bookkeeping, no user reads it
        rows = self.sudo().search([("company_id", "=", company_id)])
        if pending and not rows:
            # sudo: the engine's own bookkeeping, no user reads it
            self.sudo().create({"company_id": company_id})
        elif not pending and rows:
            rows.unlink()
