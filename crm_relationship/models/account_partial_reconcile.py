# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        partials._relationship_enqueue()
        return partials

    def unlink(self):
        self._relationship_enqueue()
        return super().unlink()

    def _relationship_enqueue(self):
        """A payment reconciled or unreconciled changes the customer's overdue
        receivable: queue the customers of the invoices and credit notes.
        Read as superuser: the accountant may not read the relationship."""
        # sudo: the moves' customers whatever the accountant's rights; only queued
        moves = (self.debit_move_id.move_id | self.credit_move_id.move_id).sudo()
        # sudo: the queue is the engine's
        self.env["crm.relationship.queue"].sudo()._enqueue(
            {
                (move.commercial_partner_id.id, move.company_id.id)
                for move in moves
                if move.move_type in ("out_invoice", "out_refund")
            }
        )
