#!/usr/bin/env python3
# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Take every picture of docs/img from a running Odoo (the demo database of
`make run`) through headless Chromium, driven by its DevTools protocol (the
same browser as Odoo's tours). Run by `make screenshots`, which starts Odoo:

    python3 scripts/screenshots.py --url http://127.0.0.1:8079 \\
        --db crm_erp_demo --out docs/img
"""

import argparse
import base64
import itertools
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import requests
import websocket

WIDTH, HEIGHT = 1366, 860

# (file, URL path or a function of the ids, CSS selector to wait for, optional
# JavaScript run once it is there, then waited on again with the selector)
TAB = "document.querySelector(\"a.nav-link[name='%s']\").click()"
SHOTS = [
    (
        "lifecycle_kanban.png",
        "/odoo/action-crm_relationship.res_partner_action_relationship",
        ".o_kanban_record",
        None,
    ),
    (
        "partner_relationship_tab.png",
        "/odoo/action-crm_relationship.res_partner_action_relationship/{loyal}",
        "a.nav-link[name='crm_relationship']",
        TAB % "crm_relationship",
    ),
    (
        "partner_service_tab.png",
        "/odoo/action-crm_relationship.res_partner_action_relationship/{service_customer}",
        "a.nav-link[name='crm_relationship']",
        TAB % "crm_relationship" + ";setTimeout(() => document.querySelector("
        "\"[name='service_otif_rate']\")?.scrollIntoView(), 300)",
    ),
    (
        "stage_form.png",
        "/odoo/action-crm_relationship.crm_relationship_stage_action/{stage_at_risk}",
        ".o_field_domain",
        None,
    ),
    (
        "customer_value_pivot.png",
        "/odoo/action-crm_relationship.crm_relationship_metrics_action",
        ".o_view_controller",
        None,
    ),
    (
        "relationship_movements.png",
        "/odoo/action-crm_relationship.crm_relationship_stage_history_action",
        ".o_view_controller",
        None,
    ),
    (
        "customer_requests.png",
        "/odoo/action-crm_relationship.crm_customer_request_action",
        ".o_view_controller",
        None,
    ),
    (
        "quotation_warnings.png",
        "/odoo/action-sale.action_quotations_with_onboarding/{quote_other_rep}",
        ".alert-warning",
        None,
    ),
    (
        "order_fulfilment.png",
        "/odoo/action-sale.action_orders/{order_returned}",
        "a.nav-link[name='crm_fulfilment']",
        TAB % "crm_fulfilment",
    ),
    (
        "service_level_pivot.png",
        "/odoo/action-crm_supply_chain_link.crm_service_order_report_action",
        ".o_view_controller",
        None,
    ),
    (
        "service_level_dashboard.png",
        "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
        ".o_search_panel_category_value[data-name='Customer Service Levels']",
        'document.querySelector(".o_search_panel_category_value'
        "[data-name='Customer Service Levels']\").click()",
    ),
    (
        "sla_customers_status.png",
        "/odoo/action-crm_supply_chain_link.crm_relationship_metrics_action_sla",
        ".o_view_controller",
        None,
    ),
    (
        "sla_policy_form.png",
        "/odoo/action-crm_supply_chain_link.crm_sla_policy_action/{policy_tier_a}",
        ".o_form_view",
        None,
    ),
    (
        "profitability_whale_curve.png",
        "/odoo/action-crm_supply_chain_link.crm_profitability_report_action_whale",
        ".o_graph_renderer canvas",
        None,
    ),
    (
        "profitability_dashboard.png",
        "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
        ".o_search_panel_category_value[data-name='Customer Profitability']",
        'document.querySelector(".o_search_panel_category_value'
        "[data-name='Customer Profitability']\").click()",
    ),
    (
        "history_customers_per_stage.png",
        "/odoo/action-crm_relationship.crm_relationship_snapshot_action",
        ".o_graph_renderer canvas",
        None,
    ),
    (
        "history_cohorts.png",
        "/odoo/action-crm_relationship.crm_relationship_snapshot_action_cohort",
        ".o_pivot",
        None,
    ),
]

XMLIDS = {
    "loyal": "crm_relationship.res_partner_loyal_demo",
    "service_customer": "crm_supply_chain_link.res_partner_service_demo",
    "stage_at_risk": "crm_relationship.crm_relationship_stage_at_risk",
    "quote_other_rep": "crm_relationship.sale_order_quote_other_rep_demo",
    "order_returned": "crm_supply_chain_link.sale_order_service_returned_demo",
    "policy_tier_a": "crm_supply_chain_link.crm_sla_policy_tier_a_demo",
}


class Odoo:
    """A JSON-RPC session of admin on the demo database."""

    def __init__(self, url, db):
        self.url = url
        self.session = requests.Session()
        self.ids = itertools.count(1)
        self.call("/web/session/authenticate", db=db, login="admin", password="admin")

    def call(self, path, **params):
        response = self.session.post(
            self.url + path,
            json={"jsonrpc": "2.0", "id": next(self.ids), "params": params},
            timeout=60,
        )
        result = response.json()
        if "error" in result:
            raise RuntimeError(json.dumps(result["error"])[:2000])
        return result["result"]

    def xmlid(self, full):
        module, name = full.split(".")
        rows = self.call(
            "/web/dataset/call_kw",
            model="ir.model.data",
            method="search_read",
            args=[[("module", "=", module), ("name", "=", name)], ["res_id"]],
            kwargs={},
        )
        if not rows:
            raise RuntimeError(f"{full} is not in the demo database")
        return rows[0]["res_id"]


class Chromium:
    """Headless Chromium and one page, through the DevTools protocol."""

    def __init__(self):
        binary = next(
            (
                shutil.which(b)
                for b in ("chromium", "chromium-browser", "google-chrome")
                if shutil.which(b)
            ),
            None,
        )
        if not binary:
            sys.exit("Chromium not found: sudo apt-get install chromium")
        self.profile = tempfile.mkdtemp(prefix="crm_erp_shots_")
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-port=9333",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _i in range(100):
            try:
                pages = requests.get("http://127.0.0.1:9333/json", timeout=2).json()
                page = next(p for p in pages if p["type"] == "page")
                break
            except Exception:  # not up yet
                time.sleep(0.2)
        else:
            sys.exit("Chromium did not start")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.ids = itertools.count(1)
        self.send("Page.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def send(self, method, **params):
        message_id = next(self.ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def wait(self, selector, seconds=30):
        test = f"!!document.querySelector({json.dumps(selector)})"
        for _i in range(int(seconds * 10)):
            if self.evaluate(test):
                return
            time.sleep(0.1)
        raise RuntimeError(f"{selector} never showed")

    def close(self):
        self.ws.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for _i in range(120):  # Odoo starting
        try:
            requests.get(args.url + "/web/login", timeout=2)
            break
        except requests.RequestException:
            time.sleep(0.5)
    odoo = Odoo(args.url, args.db)
    ids = {key: odoo.xmlid(xmlid) for key, xmlid in XMLIDS.items()}
    browser = Chromium()
    try:
        host = args.url.split("//", 1)[1].split(":")[0]
        for name, value in odoo.session.cookies.items():
            browser.send(
                "Network.setCookie", name=name, value=value, domain=host, path="/"
            )
        for name, path, selector, script in SHOTS:
            browser.send("Page.navigate", url=args.url + path.format(**ids))
            browser.wait(selector)
            if script:
                browser.evaluate(script)
                browser.wait(selector)
            time.sleep(2.5)  # charts animate, spreadsheets load their data
            data = browser.send("Page.captureScreenshot", format="png")["data"]
            (out / name).write_bytes(base64.b64decode(data))
            print(out / name, flush=True)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
