# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Upgrade from the previous released version, then uninstall and reinstall,
with real `odoo-bin` runs (issue #14)."""

import pathlib
import re
import subprocess

from .conftest import copy_database, drop_database, query, setting

REPO = pathlib.Path(__file__).resolve().parents[2]
OURS = "crm_relationship,crm_supply_chain_link"
# The previous released version: the last commit that landed before this
# version (crm_relationship 18.0.1.2.0, crm_supply_chain_link 18.0.1.3.0).
PREVIOUS_RELEASE = "1483143d888832c78260b227cb37ae0354fac145"
PREVIOUS_VERSIONS = {
    "crm_relationship": "18.0.1.2.0",
    "crm_supply_chain_link": "18.0.1.3.0",
}


def manifest_version(module):
    text = (REPO / module / "__manifest__.py").read_text()
    return re.search(r'"version": "([^"]+)"', text).group(1)


def odoo_bin(config, db, logfile, *args):
    subprocess.run(
        [
            setting("CRM_ERP_PYTHON"),
            setting("CRM_ERP_ODOO_BIN"),
            "-c",
            str(config),
            "-d",
            db,
            "--stop-after-init",
            "--max-cron-threads",
            "0",
            "--logfile",
            str(logfile),
            "--log-level",
            "info",
            *args,
        ],
        check=True,
    )


def bad_lines(logfile, levels=("ERROR", "CRITICAL")):
    pattern = re.compile(r"^\S+ \S+ \d+ ({}) ".format("|".join(levels)))
    return [line for line in logfile.read_text().splitlines() if pattern.match(line)]


def installed_versions(db):
    return dict(
        query(
            db,
            "SELECT name, latest_version FROM ir_module_module "
            "WHERE name IN ('crm_relationship', 'crm_supply_chain_link') "
            "AND state = 'installed'",
        )
    )


def test_upgrade_from_previous_release_then_uninstall_and_reinstall(tmp_path):
    # the previous release's addons, from this repository's history
    old = tmp_path / "previous"
    old.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", PREVIOUS_RELEASE, *OURS.split(",")],
        check=True,
        capture_output=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    config = pathlib.Path(setting("CRM_ERP_ODOO_CONFIG"))
    text = config.read_text()
    old_config = tmp_path / "previous.cfg"
    old_config.write_text(
        re.sub(
            rf"^(addons_path = .*),{re.escape(str(REPO))}$",
            lambda m: f"{m.group(1)},{old}",
            text,
            flags=re.M,
        )
    )
    assert str(old) in old_config.read_text(), "addons path not rewritten"

    db = "crm_erp_server_upgrade"
    copy_database(db, source=setting("CRM_ERP_BARE_DB"))
    # 1. the previous release with its demo data (orders, deliveries, values)
    odoo_bin(old_config, db, tmp_path / "install.log", "-i", OURS)
    assert not bad_lines(tmp_path / "install.log")
    assert installed_versions(db) == PREVIOUS_VERSIONS
    customers = query(db, "SELECT count(*) FROM crm_relationship_metrics")[0][0]
    orders = query(db, "SELECT count(*) FROM crm_order_service")[0][0]
    assert customers > 0 and orders > 0, "the demo data made no values"

    # 2. upgraded to this version: no warning, no error, values kept
    odoo_bin(config, db, tmp_path / "upgrade.log", "-u", OURS)
    assert not bad_lines(tmp_path / "upgrade.log", ("WARNING", "ERROR", "CRITICAL"))
    assert installed_versions(db) == {
        name: manifest_version(name) for name in PREVIOUS_VERSIONS
    }
    assert query(db, "SELECT count(*) FROM crm_relationship_metrics")[0][0] == customers
    assert query(db, "SELECT count(*) FROM crm_order_service")[0][0] == orders
    # the new setting has its default on the existing companies
    assert query(db, "SELECT DISTINCT relationship_time_budget FROM res_company") == [
        (60,)
    ]

    # 3. uninstalled: no error, our tables gone, Odoo's data intact
    # the orders that are not our demo data stay
    others = (
        "SELECT count(*) FROM sale_order so WHERE NOT EXISTS ("
        "SELECT 1 FROM ir_model_data d WHERE d.model = 'sale.order' "
        "AND d.res_id = so.id AND d.module IN "
        "('crm_relationship', 'crm_supply_chain_link'))"
    )
    sales = query(db, others)[0][0]
    subprocess.run(
        [
            str(
                pathlib.Path(setting("CRM_ERP_PYTHON")).with_name(
                    "click-odoo-uninstall"
                )
            ),
            "-c",
            str(config),
            "-d",
            db,
            "-m",
            OURS,
            "--logfile",
            str(tmp_path / "uninstall.log"),
        ],
        check=True,
    )
    assert not bad_lines(tmp_path / "uninstall.log")
    assert installed_versions(db) == {}
    assert not query(
        db,
        "SELECT relname FROM pg_class WHERE relname IN "
        "('crm_relationship_metrics', 'crm_order_service', 'crm_relationship_queue')",
    )
    assert query(db, "SELECT count(*) FROM sale_order")[0][0] == sales

    # 4. reinstalled: no error, the values computed again
    odoo_bin(config, db, tmp_path / "reinstall.log", "-i", OURS)
    assert not bad_lines(tmp_path / "reinstall.log")
    assert installed_versions(db) == {
        name: manifest_version(name) for name in PREVIOUS_VERSIONS
    }
    # every confirmed order measured again, every customer with orders valued
    assert (
        query(db, "SELECT count(*) FROM crm_order_service")[0][0]
        == query(db, "SELECT count(*) FROM sale_order WHERE state = 'sale'")[0][0]
    )
    assert query(db, "SELECT count(*) FROM crm_relationship_metrics")[0][0] > 0
    drop_database(db)
