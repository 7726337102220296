# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark data: a consistent Odoo 18 sales and delivery history built with
SQL ``INSERT ... SELECT`` into the real tables (real sequences), deterministic
functions of the row numbers so every build of a size is the same.

Two companies (USD and EUR), customers split 80/20, a few whale customers,
three lines per order over 20 storable products in 5 categories, deliveries
done into the customer location: on time, late (1-5 days) or short, returns,
and recent orders still open.
"""

from odoo.tools import SQL
from odoo.tools.sql import column_exists

SIZES = {
    # customers, orders, whales (each with whale_orders orders)
    "S": {"customers": 2000, "orders": 20000, "whales": 1, "whale_orders": 2000},
    "M": {"customers": 20000, "orders": 200000, "whales": 1, "whale_orders": 80000},
    "L": {"customers": 100000, "orders": 1000000, "whales": 3, "whale_orders": 80000},
}
LINES_PER_ORDER = 3
HISTORY_DAYS = 730


def build(env, size, as_of):
    """Fill the database of ``env`` (sale_stock installed, no data of ours)."""
    spec = SIZES[size]
    env.flush_all()
    company_1 = env.ref("base.main_company")
    eur = env.ref("base.EUR")
    eur.active = True
    company_2 = env["res.company"].search([("name", "=", "Bench EU")], limit=1)
    if not company_2:
        company_2 = env["res.company"].create(
            {"name": "Bench EU", "currency_id": eur.id}
        )
    for company in company_1 | company_2:
        company.partner_id.tz = "UTC"
    categories = env["product.category"].create(
        [{"name": f"Bench category {i}"} for i in range(5)]
    )
    products = env["product.product"].create(
        [
            {
                "name": f"Bench product {i}",
                "type": "consu",
                "is_storable": True,
                "categ_id": categories[i % 5].id,
                "list_price": 10.0 + i,
            }
            for i in range(20)
        ]
    )
    env.flush_all()
    result = {"companies": [company_1.id, company_2.id]}
    for company, share in ((company_1, 0.8), (company_2, 0.2)):
        customers = int(spec["customers"] * share)
        whales = spec["whales"] if company == company_1 else 0
        orders = int(spec["orders"] * share) - whales * spec["whale_orders"]
        _build_company(
            env,
            company,
            customers=customers,
            orders=orders,
            whales=whales,
            whale_orders=spec["whale_orders"],
            products=products,
            as_of=as_of,
        )
    env.cr.execute("ANALYZE")
    result["orphans"] = check_orphans(env)
    return result


def _build_company(
    env, company, customers, orders, whales, whale_orders, products, as_of
):
    Warehouse = env["stock.warehouse"].sudo().with_company(company)
    warehouse = Warehouse.search([("company_id", "=", company.id)], limit=1)
    if not warehouse:
        warehouse = Warehouse.create(
            {
                "name": f"{company.name} WH",
                "code": f"W{company.id}",
                "company_id": company.id,
            }
        )
    stock = warehouse.lot_stock_id
    customer_loc = env.ref("stock.stock_location_customers")
    unit = env.ref("uom.product_uom_unit")
    partner_ids = [
        r[0]
        for r in env.execute_query(
            SQL(
                """
                INSERT INTO res_partner (name, complete_name, active, is_company,
                       customer_rank, type, autopost_bills, lang, company_id,
                       create_date, write_date, create_uid, write_uid)
                SELECT 'Bench ' || %(tag)s || ' ' || g, 'Bench ' || %(tag)s || ' ' || g,
                       TRUE, TRUE, 1, 'contact', 'ask', 'en_US', NULL,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 1, 1
                  FROM generate_series(1, %(n)s) g
                RETURNING id
                """,
                tag=company.name,
                n=customers,
            )
        )
    ]
    # statistics of the new rows first (a bulk load in one transaction): with
    # the template's, the planner takes res_partner for a few rows and checks
    # each new foreign key by a scan of the table, quadratic at L
    env.cr.execute(SQL("ANALYZE res_partner"))
    env.cr.execute(
        SQL(
            "UPDATE res_partner SET commercial_partner_id = id "
            "WHERE id BETWEEN %s AND %s AND commercial_partner_id IS NULL",
            min(partner_ids),
            max(partner_ids),
        )
    )
    whale_ids = partner_ids[:whales]
    regular = partner_ids[whales:]
    # order k of the company: its customer, age in days, and outcome
    env.cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_src ON COMMIT DROP AS
            SELECT k,
                   CASE WHEN k <= %(whale_total)s
                        THEN (%(whales)s::int[])[1 + mod(k, %(n_whales)s)]
                        ELSE (%(regular)s::int[])[
                            1 + mod(k::bigint * 7919, %(n_regular)s)::int]
                   END AS partner_id,
                   mod(k * 37, %(history)s) AS back,
                   mod(k * 13, 100) AS outcome
              FROM generate_series(1, %(total)s) AS k
            """,
            whale_total=whales * whale_orders,
            whales=whale_ids or [0],
            n_whales=max(whales, 1),
            regular=regular,
            n_regular=len(regular),
            history=HISTORY_DAYS,
            total=orders + whales * whale_orders,
        )
    )
    env.cr.execute(SQL("ANALYZE bench_src"))
    env.cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_orders ON COMMIT DROP AS
            WITH ins AS (
                INSERT INTO sale_order (name, partner_id, partner_invoice_id,
                       partner_shipping_id, company_id, warehouse_id, date_order,
                       commitment_date, picking_policy, state, amount_untaxed,
                       amount_tax, amount_total, currency_rate, currency_id,
                       invoice_status, create_date, write_date, create_uid, write_uid)
                SELECT 'B' || %(company)s || '/' || s.k, s.partner_id, s.partner_id,
                       s.partner_id, %(company)s, %(warehouse)s,
                       (%(as_of)s::date - s.back) + time '10:00',
                       (%(as_of)s::date - s.back + 3) + time '12:00',
                       'direct', 'sale', 0, 0, 0, 1.0, %(currency)s, 'no',
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 1, 1
                  FROM bench_src s
                RETURNING id, name
            )
            SELECT ins.id, s.* FROM ins
              JOIN bench_src s ON ins.name = 'B' || %(company)s || '/' || s.k
            """,
            company=company.id,
            warehouse=warehouse.id,
            as_of=as_of,
            currency=company.currency_id.id,
        )
    )
    env.cr.execute(SQL("ANALYZE sale_order, bench_orders"))
    env.cr.execute(
        SQL(
            """
            CREATE TEMP TABLE bench_lines ON COMMIT DROP AS
            WITH src AS (
                SELECT o.id AS order_id, o.back, o.outcome, o.k, j,
                       (%(products)s::int[])[1 + mod(o.k * 3 + j * 7, 20)]
                           AS product_id,
                       1 + mod(o.k + j * 5, 10) AS qty,
                       (10 + mod(o.k * 11 + j, 90))::numeric AS price
                  FROM bench_orders o, generate_series(1, %(lines)s) AS j
            ), ins AS (
                INSERT INTO sale_order_line (order_id, name, product_id,
                       product_uom_qty, product_uom, price_unit, price_subtotal,
                       price_total, price_reduce_taxexcl, customer_lead, company_id,
                       currency_id, state, qty_delivered_method, qty_delivered,
                       create_date, write_date, create_uid, write_uid)
                SELECT order_id, 'Bench line ' || k || '/' || j, product_id, qty,
                       %(unit)s, price, price * qty, price * qty, price, 0,
                       %(company)s, %(currency)s, 'sale', 'stock_move', 0,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 1, 1
                  FROM src
                RETURNING id, order_id, product_id, product_uom_qty, name
            )
            SELECT ins.id AS line_id, ins.order_id, ins.product_id,
                   ins.product_uom_qty AS qty, s.back, s.outcome, s.j
              FROM ins
              JOIN src s ON s.order_id = ins.order_id
                        AND ins.name = 'Bench line ' || s.k || '/' || s.j
            """,
            products=products.ids,
            lines=LINES_PER_ORDER,
            unit=unit.id,
            company=company.id,
            currency=company.currency_id.id,
        )
    )
    if column_exists(env.cr, "sale_order_line", "margin"):
        # sale_margin (a dependency of crm_supply_chain_link): the products
        # cost 60 % of their price, as sale_margin would store it
        env.cr.execute(
            SQL(
                """
                UPDATE sale_order_line l
                   SET purchase_price = round(l.price_unit * 0.6, 2),
                       margin = l.price_subtotal - round(l.price_unit * 0.6, 2)
                                * l.product_uom_qty,
                       margin_percent = 0.4
                  FROM bench_lines b
                 WHERE b.line_id = l.id
                """
            )
        )
    env.cr.execute(SQL("ANALYZE sale_order_line, bench_lines"))
    env.cr.execute(
        SQL(
            """
            UPDATE sale_order so
               SET amount_untaxed = t.total, amount_total = t.total
              FROM (SELECT order_id, sum(price_subtotal) AS total
                      FROM sale_order_line
                     WHERE order_id IN (SELECT id FROM bench_orders)
                     GROUP BY order_id) t
             WHERE so.id = t.order_id
            """
        )
    )
    # deliveries: orders older than a week are delivered (outcome decides: 70 %
    # on the promised day, 20 % 1-5 days late, 10 % short by one unit); recent
    # ones have an open move
    env.cr.execute(SQL("ANALYZE sale_order_line"))
    env.cr.execute(
        SQL(
            """
            WITH mv AS (
                INSERT INTO stock_move (name, product_id, product_uom_qty,
                       product_uom, quantity, location_id, location_dest_id,
                       location_final_id, state, date, company_id, procure_method,
                       sale_line_id, warehouse_id, picked, create_date,
                       write_date, create_uid, write_uid)
                SELECT 'Bench delivery', l.product_id, l.qty, %(unit)s,
                       CASE WHEN l.back < 7 THEN 0
                            WHEN l.outcome >= 90 AND l.j = 1 THEN l.qty - 1
                            ELSE l.qty END,
                       %(stock)s, %(customer)s, %(customer)s,
                       CASE WHEN l.back < 7 THEN 'assigned' ELSE 'done' END,
                       (%(as_of)s::date - l.back + 3
                        + CASE WHEN l.outcome BETWEEN 70 AND 89
                               THEN 1 + mod(l.outcome, 5) ELSE 0 END)
                           + time '15:00',
                       %(company)s, 'make_to_stock', l.line_id, %(warehouse)s,
                       l.back >= 7,
                       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 1, 1
                  FROM bench_lines l
                RETURNING id, sale_line_id, quantity, state, date
            )
            UPDATE sale_order_line sol
               SET qty_delivered = mv.quantity
              FROM mv
             WHERE sol.id = mv.sale_line_id AND mv.state = 'done'
            """,
            unit=unit.id,
            stock=stock.id,
            customer=customer_loc.id,
            as_of=as_of,
            company=company.id,
            warehouse=warehouse.id,
        )
    )
    # returns: 3 % of the delivered lines send one unit back two days later
    env.cr.execute(SQL("ANALYZE stock_move"))
    env.cr.execute(
        SQL(
            """
            INSERT INTO stock_move (name, product_id, product_uom_qty, product_uom,
                   quantity, location_id, location_dest_id, state, date, company_id,
                   procure_method, origin_returned_move_id, warehouse_id, picked,
                   create_date, write_date, create_uid, write_uid)
            SELECT 'Bench return', m.product_id, 1, m.product_uom, 1,
                   m.location_dest_id, m.location_id, 'done',
                   m.date + interval '2 days',
                   m.company_id, 'make_to_stock', m.id, m.warehouse_id, TRUE,
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 1, 1
              FROM stock_move m
              JOIN bench_lines l ON l.line_id = m.sale_line_id
             WHERE m.state = 'done' AND l.outcome IN (5, 50, 95) AND l.j = 2
            """
        )
    )
    env.cr.execute("DROP TABLE bench_src, bench_orders, bench_lines")
    env.invalidate_all()


def check_orphans(env):
    """Rows pointing to nothing (must all be 0)."""
    checks = {
        "lines without order": """SELECT count(*) FROM sale_order_line l
            LEFT JOIN sale_order o ON o.id = l.order_id WHERE o.id IS NULL""",
        "orders without customer": """SELECT count(*) FROM sale_order o
            LEFT JOIN res_partner p ON p.id = o.partner_id WHERE p.id IS NULL""",
        "moves without line": """SELECT count(*) FROM stock_move m
            LEFT JOIN sale_order_line l ON l.id = m.sale_line_id
            WHERE m.sale_line_id IS NOT NULL AND l.id IS NULL""",
        "returns without origin": """SELECT count(*) FROM stock_move m
            LEFT JOIN stock_move o ON o.id = m.origin_returned_move_id
            WHERE m.origin_returned_move_id IS NOT NULL AND o.id IS NULL""",
        "orders without lines": """SELECT count(*) FROM sale_order o
            WHERE o.state = 'sale' AND NOT EXISTS
            (SELECT 1 FROM sale_order_line l WHERE l.order_id = o.id)""",
    }
    return {name: env.execute_query(SQL(query))[0][0] for name, query in checks.items()}
