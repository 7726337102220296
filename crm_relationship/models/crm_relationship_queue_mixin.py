# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..engine import queue_queries

_logger = logging.getLogger(__name__)


def retry_delay(attempt):
    """How long a customer whose computation failed waits before its next
    try: 5 minutes, doubled at each failure, at most a day."""
    return timedelta(minutes=min(5 * 2 ** (attempt - 1), 24 * 60))


def compute_or_split(cr, ids, batch, one, logger, what):
    """Run ``batch(ids)`` in a savepoint; when it fails, ``one(id)`` for each
    id in a savepoint of its own. Return (whether the batch went through,
    {id: error} of the ids that failed alone). Concurrency errors propagate:
    retried in the same snapshot they would fail again; the cron runner
    retries the whole call in a new transaction."""
    try:
        with cr.savepoint():
            batch(ids)
            return True, {}
    except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
        raise
    except Exception:
        logger.exception("%s: batch of %s failed; one by one", what, len(ids))
    failed = {}
    for record_id in ids:
        try:
            with cr.savepoint():
                one(record_id)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception as error:
            logger.exception("%s: %s failed", what, record_id)
            failed[record_id] = f"{type(error).__name__}: {error}"[:2000]
    return False, failed


class CrmRelationshipQueueMixin(models.AbstractModel):
    """What the engine's queues share (customers here, orders in
    crm_supply_chain_link): append-only entries drained by the relationship
    queue's scheduled action; an entry whose computation failed keeps its
    error, its attempt number and a retry time (``retry_delay``); a batch
    that fails is computed again one by one (``_split_on_error``); a drain
    takes its lock without waiting (``_try_lock``)."""

    _name = "crm.relationship.queue.mixin"
    _description = "Relationship Engine Queue"

    error = fields.Text(
        readonly=True,
        help="Why the last computation of this entry failed; it stays queued "
        "and is tried again at the retry time.",
    )
    attempt = fields.Integer(
        readonly=True, help="Failed computations of this entry in a row."
    )
    retry_after = fields.Datetime(
        readonly=True, help="The entry is not computed again before this time."
    )

    @api.model
    def _split_on_error(self, ids, batch, one, what, logger=None):
        """``compute_or_split`` in this transaction; the failures are logged
        on ``logger`` (the caller's module), this module's by default."""
        return compute_or_split(self.env.cr, ids, batch, one, logger or _logger, what)

    @api.model
    def _try_lock(self, key):
        """Take the drain lock ``key`` for this transaction, without waiting
        (``pg_try_advisory_xact_lock``); whether it was taken."""
        return self.env.execute_query(queue_queries.try_lock(key))[0][0]

    @api.model
    def _wake_at(self, when):
        """Run the relationship queue's scheduled action at ``when`` (the
        first retry time of the failed entries)."""
        self.env.ref("crm_relationship.ir_cron_relationship_queue")._trigger(at=when)
