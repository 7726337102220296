# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Production server mode with real processes (`make test-server`, also run by
`make test`): Odoo started in prefork mode (`--workers`, cron workers, time
limits) on a copy of the test database, driven over JSON-RPC, killed with
SIGKILL; the values are then compared with a fresh computation in this
process.

The set-up comes from scripts/dev.sh through the environment; a missing piece
fails the run with what to do (these tests never skip).
"""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import psycopg2
import pytest
from psycopg2 import sql as pgsql

ENV_VARS = {
    "CRM_ERP_PYTHON": "the Python of the virtual environment",
    "CRM_ERP_ODOO_BIN": "Odoo 18.0's odoo-bin",
    "CRM_ERP_ODOO_CONFIG": "the Odoo configuration written by the set-up",
    "CRM_ERP_SOURCE_DB": "the test database with both addons installed",
    "CRM_ERP_BARE_DB": "a database with the test database's modules, not ours",
}


def setting(name):
    value = os.environ.get(name)
    if not value:
        pytest.fail(
            f"{name} ({ENV_VARS[name]}) is not set: run these tests through "
            "`make test` or `make test-server`, which set it up"
        )
    return value


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_database(name, source=None):
    source = source or setting("CRM_ERP_SOURCE_DB")
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [source])
        if not cr.fetchone():
            pytest.fail(
                f"the test database {source} does not exist: `make test` builds "
                "it (or run `make test` once before `make test-server`)"
            )
        cr.execute(
            pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                pgsql.Identifier(name)
            )
        )
        cr.execute(
            pgsql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                pgsql.Identifier(name), pgsql.Identifier(source)
            )
        )
    conn.close()


def drop_database(name):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(
            pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                pgsql.Identifier(name)
            )
        )
    conn.close()


class OdooServer:
    """An Odoo server process in prefork mode on one database."""

    def __init__(self, db, logfile, workers=2, cron_workers=2, extra=(), wait=True):
        self.db = db
        self.logfile = logfile
        self.port = free_port()
        args = [
            setting("CRM_ERP_PYTHON"),
            setting("CRM_ERP_ODOO_BIN"),
            "-c",
            setting("CRM_ERP_ODOO_CONFIG"),
            "-d",
            db,
            "--db-filter",
            f"^{db}$",
            "--workers",
            str(workers),
            "--max-cron-threads",
            str(cron_workers),
            "--http-port",
            str(self.port),
            "--gevent-port",
            str(free_port()),
            "--logfile",
            str(logfile),
            "--log-level",
            "info",
            *extra,
        ]
        # what Odoo writes outside its log (a process dying at start)
        self.stderr_path = logfile.with_suffix(".stderr")
        with open(self.stderr_path, "w") as stderr:
            self.process = subprocess.Popen(args, start_new_session=True, stderr=stderr)
        self.uid = None
        if wait:
            self._wait_ready()
            self.uid = self.rpc("common", "login", db, "admin", "admin")
            assert self.uid, "the admin/admin login of the demo data failed"

    def _wait_ready(self, timeout=120):
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.process.poll() is not None:
                pytest.fail(f"Odoo exited with {self.process.returncode}: {self.log()}")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/web/health", timeout=5
                ) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        pytest.fail(f"Odoo did not answer within {timeout} s: {self.log()}")

    def rpc(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": list(args)},
        }
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/jsonrpc",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = json.loads(response.read())
        if answer.get("error"):
            raise RuntimeError(json.dumps(answer["error"])[:3000])
        return answer["result"]

    def call(self, model, method, *args, **kwargs):
        return self.rpc(
            "object", "execute_kw", self.db, self.uid, "admin", model, method,
            list(args), kwargs,
        )  # fmt: skip

    def wake_cron_workers(self):
        """What ``ir.cron._notifydb`` does after a commit: the cron workers
        listen on the ``postgres`` database (a trigger written before they
        started waits for their next poll otherwise)."""
        conn = psycopg2.connect(dbname="postgres")
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute("NOTIFY cron_trigger, %s", [self.db])
        conn.close()

    def worker_of_client_port(self, port):
        """The pid of the server's worker process holding the database
        connection of local TCP ``port`` (``pg_stat_activity.client_port``)."""
        import psutil

        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                # psutil < 6 names it connections()
                method = getattr(child, "net_connections", None) or child.connections
                connections = method(kind="tcp")
            except psutil.Error:
                continue
            if any(c.laddr and c.laddr.port == port for c in connections):
                return child.pid
        return None

    def log(self):
        try:
            return self.logfile.read_text()[-4000:]
        except OSError:
            return "(no log)"

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def bad_log_lines(self):
        """ERROR and CRITICAL lines of the server's log, and the tracebacks
        written outside it (the gevent process failing to start...)."""
        return [
            line
            for line in self.logfile.read_text().splitlines()
            if " ERROR " in line or " CRITICAL " in line
        ] + [
            line
            for line in self.stderr_path.read_text().splitlines()
            if line.startswith("Traceback")
        ]


def wait_until(check, timeout, what):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if check():
            return time.monotonic() - start
        time.sleep(0.5)
    pytest.fail(f"{what}: not reached within {timeout} s")


def query(db, sql, params=()):
    conn = psycopg2.connect(dbname=db)
    try:
        with conn.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall()
    finally:
        conn.close()


def queues_empty(db):
    return (
        query(
            db,
            "SELECT (SELECT count(*) FROM crm_relationship_queue)"
            " + (SELECT count(*) FROM crm_order_service_queue)",
        )[0][0]
        == 0
    )


@pytest.fixture(scope="session")
def odoo_registry():
    """Odoo imported in this process, configured as the set-up configured it:
    returns a function giving the registry of a database."""
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(["-c", setting("CRM_ERP_ODOO_CONFIG")])
    return Registry
