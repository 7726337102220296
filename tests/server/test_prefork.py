# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The engine on a production server: several workers, cron workers, time
limits, a worker killed in the middle of a call (issue #14).

Each test works on its own copy of the test database and checks the end state
against a fresh computation of the same customers and orders in this process.
"""

import datetime
import os
import signal
import threading
import time

import psycopg2
import pytest

from .conftest import (
    OdooServer,
    copy_database,
    drop_database,
    query,
    queues_empty,
    wait_until,
)

SERVICE_COLUMNS = [
    "due_date",
    "delivered_date",
    "is_in_full",
    "is_on_time",
    "is_otif",
    "fill_rate",
    "service_level_state",
    "ordered_qty",
    "delivered_qty",
    "on_time_qty",
    "line_count",
]


def assert_fresh(registry_cls, db, partner_ids, order_ids, company_wide=True):
    """The stored values of these customers and orders equal what a fresh
    computation gives now (computed in a transaction rolled back after).

    ``company_wide=False``: the customers were refreshed by the day's small
    runs, whose company pass writes each run's customers only, ranked against
    the values stored then (docs/user-guide.md, "What the values mean"): their
    company-wide values and the stages that read them wait for the nightly
    pass, so only the values of each customer's own orders are compared."""
    from odoo import SUPERUSER_ID, api
    from odoo.tools import SQL

    from odoo.addons.crm_relationship.models.crm_relationship_metrics import (
        COMPANY_COLUMNS,
    )

    registry = registry_cls(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Metrics = env["crm.relationship.metrics"]
        wide = COMPANY_COLUMNS + ["stage_id"] if company_wide else []
        columns = [
            c
            for c in Metrics._batch_columns() + wide
            if c != "relationship_computed_on"
        ]
        metrics_sql = SQL(
            "SELECT partner_id, company_id, %s FROM crm_relationship_metrics "
            "WHERE partner_id = ANY(%s) ORDER BY partner_id, company_id",
            SQL(", ").join(SQL.identifier(c) for c in columns),
            list(partner_ids),
        )
        service_sql = SQL(
            "SELECT order_id, %s FROM crm_order_service "
            "WHERE order_id = ANY(%s) ORDER BY order_id",
            SQL(", ").join(SQL.identifier(c) for c in SERVICE_COLUMNS),
            list(order_ids),
        )
        cr.execute(metrics_sql)
        stored = cr.fetchall()
        cr.execute(service_sql)
        stored_service = cr.fetchall()
        assert {row[0] for row in stored} == set(partner_ids), "customers missing"
        assert len(stored_service) == len(order_ids), "orders missing"
        env["crm.order.service"]._recompute_orders(list(order_ids))
        for company_id in {row[1] for row in stored}:
            Metrics._refresh(list(partner_ids), env["res.company"].browse(company_id))
        env.flush_all()
        cr.execute(metrics_sql)
        fresh = cr.fetchall()
        cr.execute(service_sql)
        fresh_service = cr.fetchall()
        cr.rollback()
    assert stored_service == fresh_service
    assert stored == fresh


def test_prefork_workers_drain_concurrent_flows(tmp_path, odoo_registry):
    """Two HTTP workers and two cron workers with a small time budget and
    time limits; four clients confirm and deliver orders at once over
    JSON-RPC. The queues drain, nothing is logged as an error, and every
    customer's and order's values equal a fresh computation."""
    db = "crm_erp_server_flows"
    copy_database(db)
    query_db = psycopg2.connect(dbname=db)
    query_db.autocommit = True
    with query_db.cursor() as cr:
        cr.execute("UPDATE res_company SET relationship_time_budget = 5")
    query_db.close()
    server = OdooServer(
        db,
        tmp_path / "odoo.log",
        workers=2,
        cron_workers=2,
        extra=["--limit-time-real-cron", "60", "--limit-time-real", "120"],
    )
    try:
        product = server.call(
            "product.product", "create", {"name": "Prefork widget", "type": "consu"}
        )
        partners, orders, errors = [], [], []
        line = {"product_id": product, "product_uom_qty": 3}

        def client(n):
            try:
                for i in range(3):
                    partner = server.call(
                        "res.partner", "create", {"name": f"Prefork {n}-{i}"}
                    )
                    partners.append(partner)
                    for k in range(2):
                        order = server.call(
                            "sale.order",
                            "create",
                            {
                                "partner_id": partner,
                                "order_line": [(0, 0, line)],
                            },
                        )
                        orders.append(order)
                        server.call("sale.order", "action_confirm", [order])
                        if (i + k) % 3 == 2:
                            continue  # left open
                        pickings = server.call(
                            "sale.order", "read", [order], ["picking_ids"]
                        )[0]["picking_ids"]
                        moves = server.call(
                            "stock.move", "search", [("picking_id", "in", pickings)]
                        )
                        server.call(
                            "stock.move",
                            "write",
                            moves,
                            {"quantity": 3, "picked": True},
                        )
                        server.call("stock.picking", "button_validate", pickings)
            except Exception as error:  # noqa: BLE001 (reported below)
                errors.append(repr(error))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        assert len(partners) == 12 and len(orders) == 24

        def done():
            if not queues_empty(db):
                return False
            rows = query(
                db,
                "SELECT count(*) FILTER (WHERE due_date IS NOT NULL) "
                "FROM crm_order_service WHERE order_id = ANY(%s)",
                [orders],
            )[0][0]
            customers = query(
                db,
                "SELECT count(*) FROM crm_relationship_metrics "
                "WHERE partner_id = ANY(%s)",
                [partners],
            )[0][0]
            return rows == len(orders) and customers == len(partners)

        def drained():
            server.wake_cron_workers()
            return done()

        wait_until(drained, 300, "the queues drained by the cron workers")
    finally:
        server.stop()
    assert not server.bad_log_lines(), server.bad_log_lines()
    # 12 customers refreshed by the day's runs: their own values are exact
    assert_fresh(odoo_registry, db, partners, orders, company_wide=False)
    drop_database(db)


def _make_customers(registry_cls, db, n, per):
    """``n`` new customers with ``per`` orders each (generated by SQL), queued."""
    from odoo import SUPERUSER_ID, api

    from odoo.addons.crm_relationship.tests.datagen import make_customers

    with registry_cls(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        product = env["product.product"].create(
            {"name": "Server test product", "type": "service"}
        )
        cr.execute("DELETE FROM crm_relationship_queue")
        ids = make_customers(env, company, n, per, datetime.date.today(), product)
        env["crm.relationship.queue"]._enqueue([(pid, company.id) for pid in ids])
        cr.commit()
    return ids, company.id


def test_two_drains_never_take_the_same_customers(odoo_registry):
    """Two transactions drain the queue at once (two cron workers, or a cron
    worker and a manual run): while the first holds a company, the second
    leaves that company's customers alone without waiting for it, and takes
    them once the first is over."""
    from odoo import SUPERUSER_ID, api

    from odoo.addons.crm_relationship.engine import queue_queries

    db = "crm_erp_server_locks"
    copy_database(db)
    ids, company_id = _make_customers(odoo_registry, db, 6, 2)
    registry = odoo_registry(db)
    with registry.cursor() as cr_a, registry.cursor() as cr_b:
        env_a = api.Environment(cr_a, SUPERUSER_ID, {})
        env_b = api.Environment(cr_b, SUPERUSER_ID, {})
        now = datetime.datetime.now()
        assert env_a["crm.relationship.queue"]._lock_companies(now) == [company_id]
        held = env_a.execute_query(
            queue_queries.pending_customers(10, now, [company_id])
        )
        assert [row[0] for row in held] == ids
        # a wait for A's lock would fail here instead of hanging
        cr_b.execute("SET lock_timeout = '5s'")
        assert env_b["crm.relationship.queue"]._drain() == 0
        cr_b.execute(
            "SELECT count(*) FROM crm_relationship_metrics WHERE partner_id = ANY(%s)",
            [ids],
        )
        assert cr_b.fetchone()[0] == 0
        cr_b.commit()
        cr_a.rollback()  # A ends without computing: its lock is released
        assert env_b["crm.relationship.queue"]._drain() == 6
        cr_b.commit()
    assert not query(
        db,
        "SELECT 1 FROM crm_relationship_queue WHERE partner_id = ANY(%s)",
        [ids],
    )
    drop_database(db)


def test_worker_killed_during_a_large_call(tmp_path, odoo_registry):
    """A cron worker killed (SIGKILL) in the middle of a first computation
    loses only its uncommitted call: every customer is computed or still
    queued; the worker the server starts again finishes, with the values of a
    clean computation."""
    db = "crm_erp_server_kill"
    copy_database(db)
    ids, company_id = _make_customers(odoo_registry, db, 6000, 2)
    # over TCP: the backend's client port tells which worker process runs it
    server = OdooServer(
        db,
        tmp_path / "odoo.log",
        workers=1,
        cron_workers=1,
        extra=["--limit-time-real-cron", "300", "--db_host", "127.0.0.1"],
    )
    try:
        busy = (
            "SELECT client_port FROM pg_stat_activity "
            "WHERE datname = %s AND state = 'active' "
            "AND query ILIKE '%%crm_relationship_metrics%%'"
        )
        victim = []

        def engine_running():
            server.wake_cron_workers()
            for (port,) in query(db, busy, [db]):
                pid = server.worker_of_client_port(port)
                if pid:
                    victim.append(pid)
                    return True
            return False

        wait_until(engine_running, 180, "a cron worker computing customers")
        os.kill(victim[0], signal.SIGKILL)
        time.sleep(1)
        assert server.process.poll() is None, "the server itself stays up"
        computed = query(
            db,
            "SELECT count(*) FROM crm_relationship_metrics WHERE partner_id = ANY(%s)",
            [ids],
        )[0][0]
        queued = query(
            db,
            "SELECT count(DISTINCT partner_id) FROM crm_relationship_queue "
            "WHERE partner_id = ANY(%s)",
            [ids],
        )[0][0]
        # the call (all 6,000 customers, within the 60 s budget) was not
        # committed: nothing computed, everything still queued, nothing lost
        assert (computed, queued) == (0, len(ids))

        def drained():
            server.wake_cron_workers()
            return queues_empty(db)

        wait_until(drained, 600, "the queue drained after the kill")
    finally:
        server.stop()
    log = server.logfile.read_text()
    # the server started a new cron worker, which ran the killed call's work
    # again (in one run or several, as the time budget splits it)
    assert log.count("Worker WorkerCron") >= 2
    redone = [
        line
        for line in log.splitlines()
        if "Job 'Relationship: update changed customers'" in line
        and " processed " in line
        and f" {victim[0]} INFO " not in line
    ]
    assert redone, "no run of the scheduled action after the kill"
    assert_fresh(odoo_registry, db, ids, [])
    drop_database(db)


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__, "-v"])
