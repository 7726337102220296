# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import time

from odoo import api, fields, models

from ..engine import queue_queries
from .crm_relationship_queue_mixin import retry_delay

# A call that recomputed this many customers refreshes the table's statistics.
ANALYZE_AFTER = 5000
# Customers of a company computed together before the time budget is checked
# again (a slice: batches, the company pass, the stage rules).
SLICE = 5000


class CrmRelationshipQueue(models.Model):
    """Customers whose relationship metrics must be recomputed.

    Orders only append rows here (plain inserts, no upsert: an upsert on a shared
    key raises serialization failures under concurrent confirmations); the
    scheduled action deduplicates and drains the queue.
    """

    _name = "crm.relationship.queue"
    _inherit = ["crm.relationship.queue.mixin"]
    _description = "Relationship Recompute Queue"
    _log_access = False
    _order = "id"

    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")

    @api.model
    def _enqueue(self, pairs):
        """Append (commercial partner id, company id) pairs and wake the cron."""
        pairs = {(p, c) for p, c in pairs if p and c}
        if not pairs:
            return
        self.env.cr.execute(queue_queries.append_customers(pairs))
        self._wake()

    @api.model
    def _enqueue_companies(self, companies=None):
        """Queue every customer in scope of ``companies`` (every company when
        None) and wake the cron: a setting, a policy or the nightly pass
        changes values of customers whose documents did not change."""
        self.flush_model()
        self.env.cr.execute(
            self.env["crm.relationship.metrics"]._scope_query(
                companies.ids if companies is not None else None
            )
        )
        self._wake()

    @api.model
    def _wake(self):
        """Wake the scheduled action that drains the queue, once per
        transaction (several documents of one transaction share a run), with
        ``ir.cron._trigger`` (a trigger row, the cron workers notified after
        the commit). A due trigger still pending wakes it already: then
        nothing more (during a burst of documents, one trigger and one
        notification per run of the action instead of one per transaction;
        docs/architecture.md, "The engine")."""
        key = "crm_relationship.queue_woken"
        if self.env.cr.precommit.data.get(key):
            return
        self.env.cr.precommit.data[key] = True
        # the id from the registry's cache (env.ref() would query the row)
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "crm_relationship.ir_cron_relationship_queue", raise_if_not_found=True
        )
        if self.env.execute_query(
            queue_queries.due_trigger(cron_id, fields.Datetime.now())
        ):
            return
        self.env["ir.cron"].browse(cron_id)._trigger()

    @api.model
    def _lock_companies(self, now):
        """The companies with due customers whose drain lock this transaction
        takes (``pg_try_advisory_xact_lock``, until the commit): a company
        another transaction drains (a second cron worker, a manual run) is
        left to it, without waiting."""
        return [
            company_id
            for (company_id,) in self.env.execute_query(
                queue_queries.due_companies(now)
            )
            if self._try_lock(company_id)
        ]

    @api.model
    def _drain(self, limit=100000, batch_size=None, deadline=None):
        """Drain the queue: up to ``limit`` customers per call, in slices of
        at most ``SLICE`` customers of a company, until ``deadline`` (a
        ``time.monotonic()`` value: the call's time budget).

        Companies are taken in the order of their oldest entry. A slice holding
        all the customers of a company (a first computation or the nightly pass
        of a small company) computes the company-wide values in its own
        statement; other slices get a company pass after their batches: over
        every customer of the company when the call holds a slice or more of
        the company's customers, over the slice's customers alone when it
        holds less (the day's events: the others' scores and tiers wait for
        the nightly pass, which rewrites every row; a large pass cut by the
        time budget rewrites every row in each of its calls until it is done:
        ``crm.relationship.pass``). When the deadline has
        passed, the call stops after the slice under way (at least one slice
        per call, so that every call makes progress): the
        customers not reached stay queued, and the call ends the run of the
        scheduled action and triggers a new one (``_cron_report``). A crash
        loses at most the call under way. Within a slice, up to 2,000
        customers go in batches of 500, more in one batch: large statements,
        which PostgreSQL runs as hash joins over the tables, cost less than
        many small ones.

        A customer whose computation fails stays queued with its error, its
        attempt number and a retry time (``retry_delay``); it is not taken
        again before then, and the scheduled action is triggered for it.
        """
        # sudo: the engine's tables, whoever runs the scheduled action
        Metrics = self.env["crm.relationship.metrics"].sudo()
        now = fields.Datetime.now()
        rows = self.env.execute_query(
            queue_queries.pending_customers(limit, now, self._lock_companies(now))
        )
        by_company = {}
        attempts = {}
        for partner_id, company_id, max_id, attempt in rows:
            by_company.setdefault(company_id, []).append(partner_id)
            attempts[partner_id, company_id] = (max_id, attempt)
        drained, failed = [], []
        PassPending = self.env["crm.relationship.pass"]
        for company_id, partner_ids in by_company.items():
            company = self.env["res.company"].browse(company_id)
            # the day's events (less than a slice of the company's customers):
            # the company pass writes theirs only; a larger pass (the nightly
            # pass, a setting or driver changed) every row, in each of its
            # calls until it is done when the time budget cuts it
            # sudo: the engine's own bookkeeping
            scoped = len(partner_ids) < SLICE and not PassPending.sudo().search_count(
                [("company_id", "=", company_id)]
            )
            done_here = 0
            for start in range(0, len(partner_ids), SLICE):
                if drained and deadline and time.monotonic() > deadline:
                    break
                part = partner_ids[start : start + SLICE]
                done_here += len(part)
                failures = {}
                Metrics._refresh(
                    part,
                    company,
                    batch_size=batch_size or (500 if len(part) <= 2000 else None),
                    failures=failures,
                    scoped=scoped,
                )
                for partner_id in part:
                    max_id, attempt = attempts[partner_id, company_id]
                    drained.append((partner_id, company_id, max_id))
                    if partner_id in failures:
                        failed.append(
                            (
                                partner_id,
                                company_id,
                                failures[partner_id],
                                attempt + 1,
                                now + retry_delay(attempt + 1),
                            )
                        )
            if done_here and not scoped:
                PassPending._set(
                    company_id, done_here < len(partner_ids) or len(rows) >= limit
                )
        if len(drained) >= ANALYZE_AFTER:
            # a first computation or the nightly pass: the next passes plan
            # their queries (the stage rules) on the table's statistics, which
            # autovacuum may refresh only much later
            Metrics.flush_model()
            self.env.cr.execute(queue_queries.analyze_metrics())
        if drained:
            self.env.cr.execute(queue_queries.delete_drained(drained))
        if failed:
            # the customers that failed stay queued, with their error, and are
            # retried later (see retry_delay): the action runs then
            self.env.cr.execute(queue_queries.requeue_failed(failed))
            self._wake_at(min(row[4] for row in failed))
        remaining = self.env.execute_query(queue_queries.pending_count(now))[0][0]
        Metrics._cron_report(
            "crm_relationship.ir_cron_relationship_queue",
            len(drained),
            remaining,
            deadline,
        )
        return len(drained)
