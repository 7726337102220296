# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customer request figures of customers, and the churn risk of a complaint
left open too long.

Plain functions returning ``odoo.tools.SQL``; ``crm.relationship.metrics``
runs them. Definitions: docs/user-guide.md, "Handover, promises, consistent
quotes, customer requests, consent" (requests answered).
"""

from datetime import timedelta

from odoo.tools import SQL

from .relationship_queries import in_scope

# churn risk of a customer with a complaint open too long
COMPLAINT_RISK = 75.0


def request_values(partner_ids, company_id, tz, as_of, now, window_start):
    """partner_id then the values of REQUEST_COLUMNS (req_open, req_overdue,
    req_complaint, req_complaint_days, req_response, req_solve), one row per
    customer of ``partner_ids`` (docs/user-guide.md, "Handover, promises,
    consistent quotes, customer requests, consent": requests answered)."""
    return SQL(
        """
        WITH req AS (
            -- the requests received by ``now``, open then: still open, or
            -- solved after it (a month end of the history, docs/history.md;
            -- today, ``now`` is the present: nothing is solved after it)
            SELECT r.*,
                   (r.state IN %(open)s OR r.solved_date > %(now)s) AS open_then
              FROM crm_customer_request r
             WHERE r.company_id = %(company)s
               AND r.partner_id = ANY(%(ids)s)
               AND r.request_date <= %(now)s
        ), agg AS (
            SELECT r.partner_id,
                   count(*) FILTER (WHERE r.open_then) AS n_open,
                   count(*) FILTER (
                       WHERE r.open_then
                         AND (r.first_response_date IS NULL
                              OR r.first_response_date > %(now)s)
                         AND r.date_deadline < %(now)s) AS n_overdue,
                   count(*) FILTER (
                       WHERE r.open_then
                         AND r.request_type = 'complaint') AS n_complaint,
                   max(%(as_of)s::date - (r.request_date AT TIME ZONE 'UTC'
                           AT TIME ZONE %(tz)s)::date) FILTER (
                       WHERE r.open_then
                         AND r.request_type = 'complaint') AS complaint_days,
                   avg(EXTRACT(EPOCH FROM r.first_response_date
                               - r.request_date) / 3600) FILTER (
                       WHERE r.first_response_date <= %(now)s
                         AND r.request_date >= %(window)s) AS response,
                   avg(EXTRACT(EPOCH FROM r.solved_date - r.request_date)
                       / 3600) FILTER (
                       WHERE r.solved_date <= %(now)s
                         AND r.request_date >= %(window)s) AS solve
              FROM req r
             GROUP BY r.partner_id
        )
        SELECT s.partner_id, COALESCE(a.n_open, 0) AS req_open,
               COALESCE(a.n_overdue, 0) AS req_overdue,
               COALESCE(a.n_complaint, 0) AS req_complaint,
               COALESCE(a.complaint_days, 0) AS req_complaint_days,
               round(a.response::numeric, 2)::float AS req_response,
               round(a.solve::numeric, 2)::float AS req_solve
          FROM unnest(%(ids)s::int[]) AS s(partner_id)
          LEFT JOIN agg a ON a.partner_id = s.partner_id
        """,
        open=("new", "in_progress", "waiting"),
        now=now,
        as_of=as_of,
        tz=tz,
        window=window_start,
        company=company_id,
        ids=list(partner_ids),
    )


def complaint_risk_update(company_id, tz, as_of, template, days, partner_ids=None):
    """A complaint open more than ``days`` days sets the customer's churn risk
    to at least COMPLAINT_RISK with the complaint as reason (docs/user-guide.md,
    requests answered: complaint risk). Only ``partner_ids`` when given."""
    return SQL(
        """
        WITH c AS (
            SELECT partner_id,
                   min((request_date AT TIME ZONE 'UTC'
                        AT TIME ZONE %(tz)s)::date) AS since
              FROM crm_customer_request
             WHERE company_id = %(company)s AND %(scope)s
               AND request_type = 'complaint'
               -- open at the end of as_of (a month end of the history:
               -- received by then and solved after it, docs/history.md)
               AND request_date < (%(day_end)s::timestamp AT TIME ZONE %(tz)s)
                                  AT TIME ZONE 'UTC'
               AND (state IN ('new', 'in_progress', 'waiting')
                    OR solved_date >= (%(day_end)s::timestamp
                                       AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC')
             GROUP BY partner_id
        ), vals AS (
            SELECT c.partner_id, GREATEST(COALESCE(m.churn_risk, 0), %(risk)s)
                       AS risk,
                   format(%(template)s, to_char(c.since, 'YYYY-MM-DD'),
                          %(as_of)s::date - c.since) AS reason
              FROM c
              JOIN crm_relationship_metrics m
                ON m.partner_id = c.partner_id AND m.company_id = %(company)s
             WHERE %(as_of)s::date - c.since > %(days)s
        )
        UPDATE crm_relationship_metrics m
           SET churn_risk = v.risk, churn_risk_reason = v.reason
          FROM vals v
         WHERE m.company_id = %(company)s AND m.partner_id = v.partner_id
           AND (m.churn_risk, m.churn_risk_reason)
               IS DISTINCT FROM (v.risk, v.reason)
        """,
        tz=tz,
        company=company_id,
        risk=COMPLAINT_RISK,
        template=template,
        as_of=as_of,
        day_end=as_of + timedelta(days=1),
        days=days,
        scope=in_scope(SQL("partner_id"), partner_ids),
    )
