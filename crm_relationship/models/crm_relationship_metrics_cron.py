# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time
from datetime import timedelta

from odoo import api, fields, models

from ..engine import relationship_queries


# one concern per file (docs/architecture.md, "Map"): the values' model is
# extended by several files of this module on purpose
class CrmRelationshipMetrics(models.Model):
    """The scheduled actions' entry points of the values: the nightly queueing,
    the queue's drain within the time budget, and the progress report every
    batch action of both addons uses (``_cron_report``)."""

    _inherit = "crm.relationship.metrics"  # pylint: disable=R8180

    # ------------------------------------------------------------------
    # Scheduled actions
    # ------------------------------------------------------------------
    @api.model
    def _cron_enqueue_all(self):
        """Nightly: queue every customer of every company, then drain."""
        self.env["crm.relationship.queue"]._enqueue_companies()
        # the month just ended, once the values of today are on their way
        self.env.ref("crm_relationship.ir_cron_relationship_history")._trigger()

    @api.model
    def _scope_query(self, company_ids=None, target="crm_relationship_queue"):
        # sudo: every company is in the engine's scope, whatever the caller's
        companies = company_ids or self.env["res.company"].sudo().search([]).ids
        return relationship_queries.scope_insert(companies, target)

    @api.model
    def _cron_process_queue(self, limit=100000, batch_size=None, deadline=None):
        """The scheduled action: drain the customer queue
        (``crm.relationship.queue._drain``) within the company's time budget;
        crm_supply_chain_link computes the queued orders first."""
        return self.env["crm.relationship.queue"]._drain(
            limit, batch_size, deadline=deadline or self._cron_deadline()
        )

    @api.model
    def _cron_deadline(self):
        """The ``time.monotonic()`` value at which a call of the scheduled
        action stops taking work: now plus the time budget of the company of
        the action's user (``relationship_time_budget``)."""
        # sudo: the budget is a system setting (groups=base.group_system)
        return time.monotonic() + self.env.company.sudo().relationship_time_budget

    @api.model
    def _cron_report(self, cron_xmlid, done, remaining, deadline, spent=False):
        """Report a call's progress to the cron runner. When the call spent
        its budget with work left (past ``deadline``, or ``spent``: the next
        piece of work would have ended past it), end the run of the scheduled
        action and trigger a new one a second later: the runner would call
        again within the same run (up to 10 calls), and the server's
        limit_time_real_cron bounds the whole run of a cron worker, not one
        call."""
        spent = spent or bool(deadline and time.monotonic() > deadline)
        if remaining and spent:
            self.env.ref(cron_xmlid)._trigger(
                at=fields.Datetime.now() + timedelta(seconds=1)
            )
            remaining = 0
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
