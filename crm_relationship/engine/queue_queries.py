# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The recompute queue of customers: append, take the oldest companies whole,
remove what was drained, wake the scheduled action; and the column defaults of
the metrics rows the engine inserts.

Plain functions returning ``odoo.tools.SQL``; ``crm.relationship.queue`` and
``crm.relationship.metrics`` run them. Definitions: docs/architecture.md, "The
engine" (../shared/METRICS.md, section 6).
"""

from odoo.tools import SQL


def append_customers(pairs):
    """Append (commercial partner id, company id) pairs: plain inserts, no
    upsert (an upsert on a shared key raises serialization failures)."""
    return SQL(
        "INSERT INTO crm_relationship_queue (partner_id, company_id) VALUES %s",
        SQL(", ").join(SQL("(%s, %s)", p, c) for p, c in sorted(pairs)),
    )


def due_trigger(cron_id, now):
    """A trigger of the scheduled action that is due and not consumed yet:
    the cron workers were notified when it was made and run the action
    before they remove it."""
    return SQL(
        "SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s AND call_at <= %s LIMIT 1",
        cron_id,
        now,
    )


# advisory lock namespace of the queue drains (pg_try_advisory_xact_lock's
# first key); the second key is the company id, 0 for the order queue
LOCK_NAMESPACE = 724_1001


def due_companies(now):
    """The companies with customers due in the queue, oldest entry first."""
    return SQL(
        """
        SELECT company_id
          FROM crm_relationship_queue
         WHERE retry_after IS NULL OR retry_after <= %s
         GROUP BY company_id
         ORDER BY min(id)
        """,
        now,
    )


def try_lock(key):
    """Take the transaction's advisory lock on ``key`` (a company id, or 0 for
    the order queue) if no other transaction holds it: one row, true when
    taken. Two drains never work on the same company at once, and neither
    waits for the other."""
    return SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", LOCK_NAMESPACE, key)


def pending_customers(limit, now, company_ids):
    """(partner_id, company_id, max queue id, attempts so far) of up to
    ``limit`` queued customers of ``company_ids`` (the companies whose lock
    the transaction holds) that are due (a customer whose computation failed
    waits until its ``retry_after``), companies whole in the order of their
    oldest entry."""
    return SQL(
        """
        SELECT partner_id, company_id, max_id, attempt
          FROM (SELECT partner_id, company_id, max(id) AS max_id,
                       min(id) AS first_id,
                       COALESCE(max(attempt), 0) AS attempt,
                       bool_or(retry_after IS NULL OR retry_after <= %(now)s)
                           AS due,
                       min(min(id)) OVER (PARTITION BY company_id)
                           AS company_first_id
                  FROM crm_relationship_queue
                 WHERE company_id = ANY(%(companies)s)
                 GROUP BY partner_id, company_id) q
         WHERE due
         ORDER BY company_first_id, first_id
         LIMIT %(limit)s
        """,
        now=now,
        limit=limit,
        companies=list(company_ids),
    )


def requeue_failed(rows):
    """Queue again the customers whose computation failed, with the error,
    the attempt number and when to retry: (partner_id, company_id, error,
    attempt, retry_after) ``rows``."""
    return SQL(
        """
        INSERT INTO crm_relationship_queue
               (partner_id, company_id, error, attempt, retry_after)
        VALUES %s
        """,
        SQL(", ").join(SQL("(%s, %s, %s, %s, %s)", *row) for row in rows),
    )


def delete_drained(rows):
    """Remove the entries of (partner_id, company_id, max_id) ``rows`` up to
    their max id: entries appended meanwhile stay for the next call."""
    return SQL(
        """
        DELETE FROM crm_relationship_queue q
         USING (VALUES %s) AS v(partner_id, company_id, max_id)
         WHERE q.partner_id = v.partner_id
           AND q.company_id = v.company_id
           AND q.id <= v.max_id
        """,
        SQL(", ").join(SQL("(%s, %s, %s)", *row) for row in rows),
    )


def pending_count(now):
    """The number of distinct queued customers that are due now (those that
    wait for a retry are not: the scheduled action is triggered for them)."""
    return SQL(
        """
        SELECT count(*)
          FROM (SELECT 1
                  FROM crm_relationship_queue
                 GROUP BY partner_id, company_id
                HAVING bool_or(retry_after IS NULL OR retry_after <= %s)) q
        """,
        now,
    )


def analyze_metrics():
    return SQL("ANALYZE crm_relationship_metrics")


def disable_jit():
    """JIT compilation off for the rest of the transaction (docs/benchmarks.md:
    60-80 ms of compilation per mid-sized statement at M)."""
    return SQL("SET LOCAL jit = off")


def set_column_default(column, value):
    """The database default of a metrics column the engine's inserts leave
    out, and the same value in the rows that have none."""
    return SQL(
        """
        ALTER TABLE crm_relationship_metrics
              ALTER COLUMN %(col)s SET DEFAULT %(value)s;
        UPDATE crm_relationship_metrics SET %(col)s = %(value)s
         WHERE %(col)s IS NULL
        """,
        col=SQL.identifier(column),
        value=value,
    )
