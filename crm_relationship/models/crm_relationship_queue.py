# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..engine import queue_queries


class CrmRelationshipQueue(models.Model):
    """Customers whose relationship metrics must be recomputed.

    Orders only append rows here (plain inserts, no upsert: an upsert on a shared
    key raises serialization failures under concurrent confirmations); the
    scheduled action deduplicates and drains the queue.
    """

    _name = "crm.relationship.queue"
    _description = "Relationship Recompute Queue"
    _log_access = False
    _order = "id"

    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")

    def _enqueue(self, pairs):
        """Append (commercial partner id, company id) pairs and wake the cron."""
        pairs = {(p, c) for p, c in pairs if p and c}
        if not pairs:
            return
        self.env.cr.execute(queue_queries.append_customers(pairs))
        self._wake()

    @api.model
    def _wake(self):
        """Wake the scheduled action that drains the queue, once per
        transaction (several documents of one transaction share a run)."""
        key = "crm_relationship.queue_woken"
        if self.env.cr.precommit.data.get(key):
            return
        # what ir.cron._trigger() does, in one statement instead of three: the
        # confirmation of an order and the validation of a delivery pay for it
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "crm_relationship.ir_cron_relationship_queue"
        )
        now = fields.Datetime.now()
        self.env.cr.execute(queue_queries.cron_trigger(cron_id, now, self.env.uid))
        # wake the cron workers after the commit, as ir.cron._trigger() does
        self.env.cr.postcommit.add(self.env["ir.cron"].browse(cron_id)._notifydb)
        self.env.cr.precommit.data[key] = True
