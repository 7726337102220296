# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Database copies, timers, statistics and the cron runner of the benchmark."""

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta

import psycopg2
from psycopg2 import sql as pgsql

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

from . import datagen

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
VERSION = "v2"  # bump when the generator changes: templates are rebuilt


def psql(sql, db="postgres"):
    """Run a constant statement with psql (no value is ever formatted into
    it: statements with values go through ``run_sql``)."""
    return subprocess.run(
        ["psql", "-X", "-q", "-At", "-d", db, "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def run_sql(query, params=None, db="postgres"):
    """Run ``query`` (a string with %s placeholders, or a psycopg2.sql
    composition for identifiers) in autocommit on ``db``; return its rows."""
    with contextlib.closing(psycopg2.connect(dbname=db)) as conn:
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else []


def db_exists(name):
    return bool(run_sql("SELECT 1 FROM pg_database WHERE datname = %s", (name,)))


def release(name):
    """Forget the registry and close the pooled connections of ``name``."""
    odoo.modules.registry.Registry.delete(name)
    odoo.sql_db.close_db(name)


def copy_db(template, name):
    drop_db(name)
    release(template)
    run_sql(
        pgsql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            pgsql.Identifier(name), pgsql.Identifier(template)
        )
    )


def drop_db(name):
    release(name)
    run_sql(pgsql.SQL("DROP DATABASE IF EXISTS {}").format(pgsql.Identifier(name)))


def registry(name):
    return odoo.modules.registry.Registry(name)


class Env:
    """A superuser environment on ``db`` for the duration of a ``with``."""

    def __init__(self, db, commit=True):
        self.db = db
        self.commit = commit

    def __enter__(self):
        self.cr = registry(self.db).cursor()
        return api.Environment(self.cr, SUPERUSER_ID, {})

    def __exit__(self, exc_type, *args):
        if exc_type is None and self.commit:
            self.cr.commit()
        else:
            self.cr.rollback()
        self.cr.close()


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t0, result


def queries(cr):
    return cr.sql_log_count


class SqlTimer:
    """Time spent inside ``cr.execute`` (PostgreSQL plus the driver) while the
    ``with`` block runs, to split a scenario into database and Python time."""

    def __init__(self, cr):
        self.cr = cr
        self.seconds = 0.0

    def __enter__(self):
        original = self.cr.execute

        def execute(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t0

        self.cr.execute = execute
        return self

    def __exit__(self, *args):
        del self.cr.execute


def stats(values):
    values = sorted(values)
    if not values:
        return {}
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return {
        "n": len(values),
        "median": statistics.median(values),
        "p95": p95,
        "min": values[0],
        "max": values[-1],
    }


def rss_mb():
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS", "VmHWM")):
                key, value = line.split(":")
                out[key] = int(value.split()[0]) / 1024
    return out


# ----------------------------------------------------------------------
# Templates
# ----------------------------------------------------------------------
def ensure_templates(args, result):
    base = f"crmbench_{args.size}_base_{VERSION}"
    ours = f"crmbench_{args.size}_ours_{VERSION}"
    info_file = os.path.join(args.out_dir, f"templates-{args.size}.json")
    info = {}
    if os.path.exists(info_file) and db_exists(base) and db_exists(ours):
        with open(info_file) as f:
            info = json.load(f)
        if args.reinstall or installed_versions(ours) != manifest_versions(args.addons):
            # our addons changed version (schema): install them again
            info = {"generate_seconds": info.get("generate_seconds"), "rebuild": "ours"}
    if info.get("rebuild") == "ours":
        del info["rebuild"]
        info.update(install_ours(args, base, ours))
        with open(info_file, "w") as f:
            json.dump(info, f, indent=1)
    if not info:
        for name in (base, ours):
            drop_db(name)
        print(f"[bench] building {base} (dependencies: {args.deps})", flush=True)
        subprocess.run(
            [
                os.path.join(os.path.dirname(sys.executable), "click-odoo-initdb"),
                "-c",
                args.config,
                "-n",
                base,
                "-m",
                args.deps,
                "--no-demo",
                "--cache-prefix",
                "crmbench",
            ],
            check=True,
        )
        with Env(base) as env:
            as_of = date.today()
            seconds, built = timed(datagen.build, env, args.size, as_of)
        # statistics of the bulk load, as autovacuum keeps them on a live database
        psql("ANALYZE", db=base)
        info["generate_seconds"] = round(seconds, 1)
        info["orphans"] = built["orphans"]
        if any(built["orphans"].values()):
            raise SystemExit(f"orphans in the generated data: {built['orphans']}")
        info.update(install_ours(args, base, ours))
        with open(info_file, "w") as f:
            json.dump(info, f, indent=1)
    result["templates"] = {"base": base, "ours": ours, **info}
    return base, ours


def install_ours(args, base, ours):
    """Copy the base template and install our addons on it, timed against a
    plain registry load of the same database."""
    copy_db(base, ours)
    odoo_cmd = [sys.executable, args.odoo_bin, "-c", args.config, "-d", ours]
    load, _ = timed(
        subprocess.run,
        odoo_cmd + ["--stop-after-init", "--log-level=warn", "--http-port=8179"],
        check=True,
    )
    install, _ = timed(
        subprocess.run,
        odoo_cmd
        + [
            "-i",
            args.addons,
            "--stop-after-init",
            "--log-level=warn",
            "--without-demo=all",
            "--http-port=8179",
        ],
        check=True,
    )
    # the scheduled action that computes the orders found at install, run to
    # the end as the cron runner would (timed apart from the install)
    fill = 0.0
    with Env(ours) as env:
        Service = env["crm.order.service"]
        t0 = time.perf_counter()
        while Service._cron_fill_pending():
            env.cr.commit()
        fill = time.perf_counter() - t0
        env.cr.execute("DELETE FROM crm_relationship_queue")
    release(ours)
    psql("ANALYZE", db=ours)
    return {
        "registry_load_seconds": round(load, 1),
        "install_seconds": round(install, 1),
        "install_beyond_registry_seconds": round(install - load, 1),
        "deferred_fill_seconds": round(fill, 1),
    }


def installed_versions(db):
    rows = psql(
        "SELECT name || '=' || latest_version FROM ir_module_module "
        "WHERE name LIKE 'crm\\_%' AND state = 'installed' ORDER BY name",
        db=db,
    )
    return {r.split("=")[0]: r.split("=")[1] for r in rows.splitlines() if "=" in r}


def manifest_versions(addons):
    import ast

    result = {}
    for addon in addons.split(","):
        with open(os.path.join(REPO, addon, "__manifest__.py")) as f:
            result[addon] = ast.literal_eval(f.read())["version"]
    return result


def dataset(db):
    with Env(db, commit=False) as env:
        rows = env.execute_query(
            SQL(
                """
                SELECT (SELECT count(*) FROM res_partner WHERE customer_rank > 0),
                       (SELECT count(*) FROM sale_order WHERE state = 'sale'),
                       (SELECT count(*) FROM sale_order_line),
                       (SELECT count(*) FROM stock_move),
                       (SELECT count(*) FROM res_company),
                       (SELECT max(c) FROM (SELECT count(*) c FROM sale_order
                                             GROUP BY partner_id) t)
                """
            )
        )[0]
    keys = ["customers", "orders", "lines", "moves", "companies", "largest_customer"]
    return dict(zip(keys, rows, strict=True))


# the tables a relationship pass writes
ENGINE_TABLES = (
    "crm_relationship_metrics",
    "crm_relationship_queue",
    "res_partner",
    "crm_relationship_stage_history",
    "mail_message",
    "bench_rel_full",
)


def vacuum_analyze(db, tables=ENGINE_TABLES):
    """VACUUM ANALYZE ``tables`` of ``db`` (what autovacuum does in a day)."""
    run_sql(
        pgsql.SQL("VACUUM ANALYZE {}").format(
            pgsql.SQL(", ").join(pgsql.Identifier(t) for t in tables)
        ),
        db=db,
    )


@contextlib.contextmanager
def next_day(env, days=1):
    """The engine's day moved ``days`` ahead (the nightly pass of the next
    night: every customer's recency and tenure change)."""
    cls = type(env["crm.relationship.metrics"])
    had_own = "_as_of" in cls.__dict__
    original = cls._as_of

    def as_of(self, company):
        tz, day = original(self, company)
        return tz, day + timedelta(days=days)

    cls._as_of = as_of
    try:
        yield
    finally:
        if had_own:
            cls._as_of = original
        else:
            del cls._as_of


def run_cron(env):
    """Drain the relationship queue as the cron runner does: call the
    scheduled action with its defaults and commit, again while customers
    remain; return the seconds."""
    Metrics = env["crm.relationship.metrics"]
    t0 = time.perf_counter()
    while True:
        Metrics._cron_process_queue()
        env.cr.commit()
        left = env.execute_query(SQL("SELECT 1 FROM crm_relationship_queue LIMIT 1"))
        if not left:
            return time.perf_counter() - t0


def user_action(env, action):
    """Run one user action and commit it: its seconds and query count."""
    q0 = queries(env.cr)
    seconds, _ = timed(action)
    env.flush_all()
    env.cr.commit()
    return seconds, queries(env.cr) - q0


def computed_copy(args, ours):
    """A copy of the ours template with every customer's values computed."""
    run_db = f"crmbench_{args.size}_run"
    copy_db(ours, run_db)
    with Env(run_db) as env:
        Metrics = env["crm.relationship.metrics"]
        env.cr.execute(Metrics._scope_query())
        env.cr.commit()
        # calls within the time budget, as the cron runner makes them
        run_cron(env)
    return run_db


# ----------------------------------------------------------------------
def machine(args):
    commit = subprocess.run(
        ["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    settings = psql(
        "SELECT string_agg(name || '=' || setting, ', ') FROM pg_settings "
        "WHERE name IN "
        "('shared_buffers', 'work_mem', 'effective_cache_size', 'max_connections', "
        "'random_page_cost', 'jit')"
    )
    return {
        "date": date.today().isoformat(),
        "commit": commit,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "postgresql": psql("SHOW server_version"),
        "pg_settings": settings,
    }
