# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fast, consistent sales data through SQL INSERT ... SELECT into the real
tables (real sequences), for scale tests and benchmarks."""

from odoo.tools import SQL


def make_customers(env, company, n_customers, orders_per_customer, as_of, product):
    """Create ``n_customers`` companies with ``orders_per_customer`` confirmed
    orders each (one line each), spread over the 730 days before ``as_of``.

    Return the new partner ids. Amounts and days are deterministic functions
    of the row numbers, so repeated runs build the same data.
    """
    env.flush_all()
    partner_ids = [
        r[0]
        for r in env.execute_query(
            SQL(
                """
                INSERT INTO res_partner (name, complete_name, active, is_company,
                       customer_rank, type, autopost_bills, lang,
                       create_date, write_date, create_uid, write_uid)
                SELECT 'Scale customer ' || g, 'Scale customer ' || g, TRUE, TRUE,
                       1, 'contact', 'ask', 'en_US',
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 1, 1
                  FROM generate_series(1, %s) g
                RETURNING id
                """,
                n_customers,
            )
        )
    ]
    env.cr.execute(
        SQL(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
            partner_ids,
        )
    )
    env.cr.execute(
        SQL(
            """
            WITH src AS (
                SELECT p.id AS partner_id, k,
                       mod(p.n::int * 7 + k * 37, 730) AS back,
                       (100 + mod(p.n::int * 13 + k * 17, 900))::numeric AS amount
                  FROM unnest(%(ids)s::int[]) WITH ORDINALITY AS p(id, n),
                       generate_series(1, %(per)s) AS k
            ), ins AS (
                INSERT INTO sale_order (name, partner_id, partner_invoice_id,
                       partner_shipping_id, company_id, date_order, picking_policy,
                       state, amount_untaxed, amount_tax, amount_total,
                       currency_rate, currency_id, create_date, write_date,
                       create_uid, write_uid)
                SELECT 'SCALE/' || partner_id || '/' || k, partner_id, partner_id,
                       partner_id, %(company)s,
                       (%(as_of)s::date - back) + time '10:00', 'direct', 'sale',
                       amount, 0, amount, 1.0, %(currency)s,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 1, 1
                  FROM src
                RETURNING id, amount_untaxed
            )
            INSERT INTO sale_order_line (order_id, name, product_id, product_uom_qty,
                   price_unit, price_subtotal, customer_lead, company_id, state,
                   create_date, write_date, create_uid, write_uid)
            SELECT id, 'Scale line', %(product)s, 1, amount_untaxed, amount_untaxed,
                   0, %(company)s, 'sale', now() AT TIME ZONE 'UTC',
                   now() AT TIME ZONE 'UTC', 1, 1
              FROM ins
            """,
            ids=partner_ids,
            per=orders_per_customer,
            company=company.id,
            as_of=as_of,
            currency=company.currency_id.id,
            product=product.id,
        )
    )
    env.invalidate_all()
    return partner_ids
