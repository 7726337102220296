# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Money at risk: what a customer owes past its due dates, and the predicted
value its churn risk puts at stake.

Plain functions returning ``odoo.tools.SQL``; ``crm.relationship.metrics``
runs them. Definitions: docs/profitability.md ("Value at risk", "Overdue
receivable"; ../shared/METRICS.md, section 7).
"""

from odoo.tools import SQL

from .relationship_queries import in_scope


def overdue_receivables(partner_ids, company_id, as_of):
    """partner_id, overdue: the residual amount (company currency, signed) of
    the posted customer invoices and credit notes of each customer of
    ``partner_ids`` in the company due before ``as_of`` and not paid, in
    payment or reversed; 0 when none."""
    return SQL(
        """
        SELECT s.partner_id, COALESCE(sum(am.amount_residual_signed), 0) AS overdue
          FROM unnest(%(ids)s::int[]) AS s(partner_id)
          LEFT JOIN account_move am
                 ON am.commercial_partner_id = s.partner_id
                AND am.company_id = %(company)s
                AND am.state = 'posted'
                AND am.move_type IN ('out_invoice', 'out_refund')
                AND am.invoice_date_due < %(as_of)s
                AND am.payment_state NOT IN ('paid', 'in_payment', 'reversed')
         GROUP BY s.partner_id
        """,
        ids=list(partner_ids),
        company=company_id,
        as_of=as_of,
    )


def value_at_risk_update(company_id, partner_ids=None):
    """value_at_risk = predicted_clv x churn_risk / 100 on the company's rows
    (after the churn risk's overrides; those of ``partner_ids`` when given),
    where it changes."""
    return SQL(
        """
        UPDATE crm_relationship_metrics
           SET value_at_risk = round((predicted_clv * churn_risk / 100.0)::numeric, 2)
         WHERE company_id = %(company)s AND %(scope)s
           AND value_at_risk IS DISTINCT FROM
               round((predicted_clv * churn_risk / 100.0)::numeric, 2)
        """,
        company=company_id,
        scope=in_scope(SQL("partner_id"), partner_ids),
    )
