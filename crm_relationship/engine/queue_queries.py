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


def pending_customers(limit, now):
    """(partner_id, company_id, max queue id, attempts so far) of up to
    ``limit`` queued customers that are due (a customer whose computation
    failed waits until its ``retry_after``), companies whole in the order of
    their oldest entry.

    Their queue rows are locked (``FOR UPDATE SKIP LOCKED``) until the end of
    the transaction; a customer some of whose rows another transaction holds
    (a second cron worker, a manual recompute) is left to it: two workers
    never compute the same customer, and neither waits for the other."""
    return SQL(
        """
        WITH cand AS (
            SELECT partner_id, company_id, max_id, attempt, n, company_first_id,
                   first_id
              FROM (SELECT partner_id, company_id, max(id) AS max_id,
                           min(id) AS first_id, count(*) AS n,
                           COALESCE(max(attempt), 0) AS attempt,
                           bool_or(retry_after IS NULL OR retry_after <= %(now)s)
                               AS due,
                           min(min(id)) OVER (PARTITION BY company_id)
                               AS company_first_id
                      FROM crm_relationship_queue
                     GROUP BY partner_id, company_id) q
             WHERE due
             ORDER BY company_first_id, first_id
             LIMIT %(limit)s
        ), locked AS (
            SELECT q.partner_id, q.company_id
              FROM crm_relationship_queue q
              JOIN cand c ON c.partner_id = q.partner_id
                         AND c.company_id = q.company_id AND q.id <= c.max_id
               FOR UPDATE OF q SKIP LOCKED
        )
        SELECT c.partner_id, c.company_id, c.max_id, c.attempt
          FROM cand c
          JOIN (SELECT partner_id, company_id, count(*) AS n
                  FROM locked GROUP BY partner_id, company_id) l
            ON l.partner_id = c.partner_id AND l.company_id = c.company_id
           AND l.n = c.n
         ORDER BY c.company_first_id, c.first_id
        """,
        now=now,
        limit=limit,
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
