# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The lifecycle's set-based statements: the unlocked customers a rule pass
considers and the history rows of a move in one INSERT (the moves themselves
go through the ORM, the chatter notes through ``_message_log_batch``).

Plain functions returning ``odoo.tools.SQL``; the lifecycle mixin
(``crm.relationship.lifecycle.mixin``) runs them. Definitions:
docs/user-guide.md, "Stages and rules (administrators)" (../shared/METRICS.md,
section 2).
"""

from odoo.tools import SQL


def unlocked_rows(company_id, partner_ids):
    """(id, partner_id, stage_id) of the customers' rows whose stage is not
    locked: the rows the stage rules may move."""
    return SQL(
        """
        SELECT id, partner_id, stage_id
          FROM crm_relationship_metrics
         WHERE company_id = %s AND partner_id = ANY(%s)
           AND NOT COALESCE(stage_locked, FALSE)
        """,
        company_id,
        list(partner_ids),
    )


def rows_of(ids):
    """(id, partner_id, company_id) of the metrics rows ``ids``."""
    return SQL(
        "SELECT id, partner_id, company_id FROM crm_relationship_metrics "
        "WHERE id = ANY(%s)",
        list(ids),
    )


def history_insert(
    ids, from_stage_ids, stage_id, stage_type, reason, uid, now, company_days
):
    """One history row per moved metrics row (``ids``, each from its
    ``from_stage_ids``) to ``stage_id``, with the values the move was decided
    on; ``company_days``: {company id: the day in its timezone}."""
    return SQL(
        """
        INSERT INTO crm_relationship_stage_history
               (partner_id, company_id, stage_from_id, stage_to_id,
                stage_to_type, reason, user_id, day, date, metric_values,
                churn_risk_reason, create_uid, create_date, write_uid,
                write_date)
        SELECT m.partner_id, m.company_id, v.stage_from_id, %(stage)s,
               %(stage_type)s, %(reason)s, %(uid)s, d.day, %(now)s,
               concat_ws(', ',
                   'lifetime_order_count='
                       || COALESCE(m.lifetime_order_count, 0),
                   'recency_days=' || COALESCE(m.recency_days, 0),
                   'tenure_days=' || COALESCE(m.tenure_days, 0),
                   'rfm_frequency=' || COALESCE(m.rfm_frequency, 0),
                   'churn_risk=' || CASE
                       WHEN COALESCE(m.churn_risk, 0)
                            = trunc(COALESCE(m.churn_risk, 0))
                       THEN trunc(COALESCE(m.churn_risk, 0))::bigint || '.0'
                       ELSE m.churn_risk::text END,
                   'reactivation_date='
                       || COALESCE(m.reactivation_date::text, 'False')),
               m.churn_risk_reason, %(uid)s, %(now)s, %(uid)s, %(now)s
          FROM unnest(%(ids)s::int[], %(from)s::int[])
               AS v(id, stage_from_id)
          JOIN crm_relationship_metrics m ON m.id = v.id
          JOIN unnest(%(companies)s::int[], %(days)s::date[])
               AS d(company_id, day) ON d.company_id = m.company_id
        """,
        stage=stage_id,
        stage_type=stage_type,
        reason=reason,
        uid=uid,
        now=now,
        ids=list(ids),
        **{"from": list(from_stage_ids)},
        companies=list(company_days),
        days=list(company_days.values()),
    )
