# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Run Odoo's own test suites on an installed database, every test with the
whole registry loaded (used by `make test-core`).

Usage: python run_core_suites.py ODOO-OPTIONS... (as odoo-bin: -c, -d,
--test-tags, --http-port, --logfile...)

``odoo-bin --test-enable`` on an installed database runs a module's
at_install tests while the registry is still loading, before the modules that
come after it (ours among them) are loaded: those tests would never run
through our overrides. Here the registry is loaded first, then the at_install
and the post_install tests selected by ``--test-tags`` run, as post_install
tests always do, with an HTTP server for the HttpCase tests. The result is
logged as Odoo logs it (``odoo.tests.result: N failed, M error(s) of T
tests``); the exit code is 1 when a test failed.
"""

import logging
import sys

import odoo
from odoo.modules.registry import Registry
from odoo.service import server
from odoo.tools import config

_logger = logging.getLogger("odoo.tests.result")


def main(args):
    config.parse_config(args, setup_logging=True)
    dbname = config["db_name"]
    if not dbname or not config["test_tags"]:
        sys.exit("run_core_suites.py needs -d DATABASE and --test-tags TAGS")
    server.load_server_wide_modules()
    # the registry loads without running any test; then the tests run
    config["test_enable"] = False
    registry = Registry.new(dbname)
    config["test_enable"] = True
    server.server = server.ThreadedServer(odoo.http.root)
    server.server.http_spawn()

    from odoo.tests import loader
    from odoo.tests.result import OdooTestResult

    modules = sorted(registry._init_modules)
    report = OdooTestResult()
    for position in ("at_install", "post_install"):
        suite = loader.make_suite(modules, position)
        if position == "post_install" and suite.has_http_case():
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                env["ir.qweb"]._pregenerate_assets_bundles()
        report.update(loader.run_suite(suite, global_report=report))
    report.log_stats()
    level = logging.INFO if report.wasSuccessful() else logging.ERROR
    _logger.log(level, "%s when loading database %r", report, dbname)
    return 0 if report.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
