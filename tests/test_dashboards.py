# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The spreadsheet dashboards of crm_supply_chain_link: the data files are what
scripts/build_dashboard.py writes, and every model, field and field path they
read exists in the installed database."""

import base64
import importlib.util
import json
import pathlib

from odoo.tests import TransactionCase

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_dashboard", ROOT / "scripts/build_dashboard.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestDashboards(TransactionCase):
    test_tags = {"standard"}
    test_module = "tests"

    def _check_path(self, model, path):
        records = self.env[model]
        for name in path.split("."):
            self.assertIn(name, records._fields, f"{model}: {path}")
            field = records._fields[name]
            records = self.env[field.comodel_name] if field.relational else records

    def test_files_are_the_script_output(self):
        builder = _builder()
        for path, content in (
            (builder.OUT, builder.build()),
            (builder.OUT_PROFIT, builder.build_profitability()),
        ):
            self.assertEqual(json.loads(path.read_text()), content, path.name)

    def test_every_reference_exists(self):
        # (dashboard, its Odoo charts): service OTIF by week, breaches,
        # stages, moves, tiers; the whale curve, by team, by region
        dashboards = {
            "crm_supply_chain_link.spreadsheet_dashboard_service_level": 5,
            "crm_supply_chain_link.spreadsheet_dashboard_profitability": 3,
        }
        for xmlid, n_charts in dashboards.items():
            record = self.env.ref(xmlid)
            self.assertTrue(record.is_published)
            data = json.loads(base64.b64decode(record.spreadsheet_binary_data))
            for pivot in data["pivots"].values():
                for measure in pivot["measures"]:
                    if measure["fieldName"] != "__count":
                        self._check_path(pivot["model"], measure["fieldName"])
                for group in pivot["rows"] + pivot["columns"]:
                    self._check_path(pivot["model"], group["fieldName"])
                for match in pivot["fieldMatching"].values():
                    self._check_path(pivot["model"], match["chain"])
            for lst in data["lists"].values():
                for column in lst["columns"]:
                    self._check_path(lst["model"], column)
            charts = [
                f["data"]
                for s in data["sheets"]
                for f in s["figures"]
                if f["data"]["type"].startswith("odoo_")
            ]
            self.assertEqual(len(charts), n_charts, xmlid)
            for chart in charts:
                meta = chart["metaData"]
                for group in meta["groupBy"]:
                    self._check_path(meta["resModel"], group.split(":")[0])
                if meta["measure"] != "__count":
                    self._check_path(meta["resModel"], meta["measure"])
            # six figures on top of each: the rates; money, share, at risk
            scorecards = [
                f
                for s in data["sheets"]
                for f in s["figures"]
                if f["data"]["type"] == "scorecard"
            ]
            self.assertEqual(len(scorecards), 6, xmlid)
