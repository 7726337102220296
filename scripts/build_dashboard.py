#!/usr/bin/env python3
# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Write the dashboards of crm_supply_chain_link (Odoo spreadsheets): the
service levels and the customer profitability.

The JSON files are data of the addon; this script is how they are made, so
that a change is a reviewed diff of Python rather than of a generated file:

    python3 scripts/build_dashboard.py
"""

import json
import pathlib

FILES = (
    pathlib.Path(__file__).resolve().parent.parent / "crm_supply_chain_link/data/files"
)
OUT = FILES / "service_level_dashboard.json"
OUT_PROFIT = FILES / "profitability_dashboard.json"

F_DUE = "6f1b3c2e-5b7a-4d0e-9a51-0c1d2e3f4a01"
F_MOVES = "6f1b3c2e-5b7a-4d0e-9a51-0c1d2e3f4a02"
F_CUSTOMER = "6f1b3c2e-5b7a-4d0e-9a51-0c1d2e3f4a03"

REPORT = "crm.service.order.report"
METRICS = "crm.relationship.metrics"
HISTORY = "crm.relationship.stage.history"

RATES = [
    ("otif_rate", "OTIF %"),
    ("on_time_rate", "On time %"),
    ("in_full_rate", "In full %"),
    ("fill_rate", "Fill rate %"),
    ("perfect_order_rate", "Perfect order %"),
    ("return_rate", "Return rate %"),
]


def report_matching():
    return {
        F_DUE: {"chain": "due_date", "type": "date", "offset": 0},
        F_CUSTOMER: {"chain": "partner_id", "type": "many2one"},
    }


def metrics_matching():
    return {F_CUSTOMER: {"chain": "partner_id", "type": "many2one"}}


def history_matching():
    return {
        F_MOVES: {"chain": "day", "type": "date", "offset": 0},
        F_CUSTOMER: {"chain": "partner_id", "type": "many2one"},
    }


def t(text):
    """A translatable cell."""
    return {"content": f'=_t("{text}")'}


def odoo_chart(
    fig_id, x, y, w, h, title, kind, model, group_by, measure, domain, matching
):
    return {
        "id": fig_id,
        "x": x,
        "y": y,
        "width": w,
        "height": h,
        "tag": "chart",
        "data": {
            "title": {"text": title, "bold": True, "color": "#434343"},
            "background": "#FFFFFF",
            "legendPosition": "none" if kind != "odoo_pie" else "top",
            "metaData": {
                "groupBy": group_by,
                "measure": measure,
                "order": None,
                "resModel": model,
                "mode": kind.removeprefix("odoo_"),
            },
            "searchParams": {
                "comparison": None,
                "context": {},
                "domain": domain,
                "groupBy": group_by,
                "orderBy": [],
            },
            "type": kind,
            "verticalAxisPosition": "left",
            "stacked": False,
            "fillArea": kind == "odoo_line",
            "cumulative": False,
            "fieldMatching": matching,
        },
    }


def scorecard(fig_id, x, title, cell, y=40, humanize=False):
    return {
        "id": fig_id,
        "x": x,
        "y": y,
        "width": 178,
        "height": 100,
        "tag": "chart",
        "data": {
            "title": {"text": title, "bold": True, "color": "#434343"},
            "type": "scorecard",
            "background": "#EFF6FF",
            "keyValue": cell,
            "baseline": "",
            "baselineMode": "text",
            "baselineColorDown": "#DC6965",
            "baselineColorUp": "#00A04A",
            "humanize": humanize,
        },
    }


def build():
    cells = {
        "A1": t("Customer service levels"),
        "A22": t("Service rates by due week"),
        "A23": {"content": "=PIVOT(2)"},
        "A45": t("Late and overdue orders (oldest due first)"),
        "A62": t("Relationships"),
    }
    columns = [
        ("order_id", "Order"),
        ("partner_id", "Customer"),
        ("due_date", "Due"),
        ("service_level_state", "State"),
        ("delay_days", "Delay (days)"),
    ]
    for col, (field, _label) in zip("ABCDE", columns, strict=True):
        cells[f"{col}46"] = {"content": f'=ODOO.LIST.HEADER(1,"{field}")'}
        for i in range(1, 13):
            cells[f"{col}{46 + i}"] = {"content": f'=ODOO.LIST(1,{i},"{field}")'}
    data_cells = {"A1": t("KPI"), "B1": t("Value")}
    for i, (field, label) in enumerate(RATES, start=2):
        data_cells[f"A{i}"] = t(label)
        data_cells[f"B{i}"] = {"content": f'=PIVOT.VALUE(1,"{field}")'}
    figures = [
        scorecard(f"sc-{field}", 6 + i * 184, label, f"Data!B{i + 2}")
        for i, (field, label) in enumerate(RATES)
    ]
    figures += [
        odoo_chart(
            "chart-otif-week",
            0,
            150,
            1110,
            320,
            "OTIF % by due week",
            "odoo_line",
            REPORT,
            ["due_date:week"],
            "otif_rate",
            [],
            report_matching(),
        ),
        odoo_chart(
            "chart-breach-policy",
            0,
            62 * 23 + 10,
            550,
            300,
            "Customers in breach by policy",
            "odoo_bar",
            METRICS,
            ["sla_policy_id"],
            "__count",
            [["sla_status", "=", "breached"]],
            metrics_matching(),
        ),
        odoo_chart(
            "chart-stage",
            560,
            62 * 23 + 10,
            550,
            300,
            "Customers per stage",
            "odoo_bar",
            METRICS,
            ["stage_id"],
            "__count",
            [["stage_id", "!=", False]],
            metrics_matching(),
        ),
        odoo_chart(
            "chart-moves",
            0,
            62 * 23 + 320,
            550,
            300,
            "Stage movements (see the Stage moves filter)",
            "odoo_bar",
            HISTORY,
            ["stage_to_id"],
            "__count",
            [],
            history_matching(),
        ),
        odoo_chart(
            "chart-tier",
            560,
            62 * 23 + 320,
            550,
            300,
            "Revenue in the RFM window by value tier",
            "odoo_pie",
            METRICS,
            ["value_tier"],
            "rfm_monetary",
            [["value_tier", "!=", False]],
            metrics_matching(),
        ),
    ]
    measures = [
        {"id": field, "fieldName": field, "aggregator": "sum"} for field, _ in RATES
    ]
    return {
        "version": 21,
        "odooVersion": 12,
        "sheets": [
            {
                "id": "dashboard",
                "name": "Dashboard",
                "colNumber": 8,
                "rowNumber": 100,
                "rows": {"0": {"size": 36}},
                "cols": {
                    "0": {"size": 220},
                    "1": {"size": 180},
                    "2": {"size": 130},
                    "3": {"size": 130},
                    "4": {"size": 130},
                    "5": {"size": 110},
                    "6": {"size": 110},
                },
                "merges": [],
                "cells": cells,
                "styles": {"A1": 1, "A22": 2, "A45": 2, "A62": 2, "A46:E46": 3},
                "formats": {},
                "borders": {},
                "conditionalFormats": [],
                "figures": figures,
                "tables": [],
                "areGridLinesVisible": False,
                "isVisible": True,
                "headerGroups": {"ROW": [], "COL": []},
                "dataValidationRules": [],
                "comments": {},
            },
            {
                "id": "data",
                "name": "Data",
                "colNumber": 4,
                "rowNumber": 20,
                "rows": {},
                "cols": {"0": {"size": 160}},
                "merges": [],
                "cells": data_cells,
                "styles": {},
                "formats": {},
                "borders": {},
                "conditionalFormats": [],
                "figures": [],
                "tables": [],
                "areGridLinesVisible": True,
                "isVisible": True,
                "headerGroups": {"ROW": [], "COL": []},
                "dataValidationRules": [],
                "comments": {},
            },
        ],
        "styles": {
            "1": {"textColor": "#01666b", "bold": True, "fontSize": 16},
            "2": {"textColor": "#434343", "bold": True, "fontSize": 12},
            "3": {"textColor": "#434343", "bold": True},
        },
        "formats": {},
        "borders": {},
        "revisionId": "START_REVISION",
        "uniqueFigureIds": True,
        "settings": {"locale": {"name": "English (US)", "code": "en_US"}},
        "pivots": {
            "1": {
                "type": "ODOO",
                "name": "Service rates",
                "model": REPORT,
                "domain": [],
                "context": {},
                "measures": measures,
                "rows": [],
                "columns": [],
                "sortedColumn": None,
                "formulaId": "1",
                "fieldMatching": report_matching(),
            },
            "2": {
                "type": "ODOO",
                "name": "Service rates by due week",
                "model": REPORT,
                "domain": [],
                "context": {},
                "measures": measures,
                "rows": [{"fieldName": "due_date", "granularity": "week"}],
                "columns": [],
                "sortedColumn": None,
                "formulaId": "2",
                "fieldMatching": report_matching(),
            },
        },
        "pivotNextId": 3,
        "customTableStyles": {},
        "globalFilters": [
            {
                "id": F_DUE,
                "type": "date",
                "label": "Due date",
                "defaultValue": "last_three_months",
                "rangeType": "relative",
            },
            {
                "id": F_MOVES,
                "type": "date",
                "label": "Stage moves",
                "defaultValue": "last_month",
                "rangeType": "relative",
            },
            {
                "id": F_CUSTOMER,
                "type": "relation",
                "label": "Customer",
                "modelName": "res.partner",
                "defaultValue": [],
                "defaultValueDisplayNames": [],
            },
        ],
        "lists": {
            "1": {
                "id": "1",
                "name": "Late and overdue orders",
                "model": "crm.order.service",
                "columns": [field for field, _ in columns],
                "domain": [["service_level_state", "in", ["late", "overdue"]]],
                "context": {},
                "orderBy": [{"name": "due_date", "asc": True}],
                "fieldMatching": report_matching(),
            }
        },
        "listNextId": 2,
        "chartOdooMenusReferences": {},
    }


F_MONTH = "7a2c4d3f-6c8b-4e1f-8b62-1d2e3f4a5b01"
F_TEAM = "7a2c4d3f-6c8b-4e1f-8b62-1d2e3f4a5b02"
PROFIT = "crm.profitability.report"
PROFIT_MEASURES = [
    ("revenue", "Revenue"),
    ("gross_margin", "Gross margin"),
    ("cost_to_serve", "Cost to serve"),
    ("net_contribution", "Net contribution"),
]


def profit_matching():
    return {
        F_MONTH: {"chain": "date", "type": "date", "offset": 0},
        F_TEAM: {"chain": "team_id", "type": "many2one"},
    }


def customer_matching():
    return {F_TEAM: {"chain": "user_id.sale_team_id", "type": "many2one"}}


def sheet(sheet_id, name, cells, figures, cols, styles=None, grid=False, formats=None):
    return {
        "id": sheet_id,
        "name": name,
        "colNumber": 8,
        "rowNumber": 100,
        "rows": {"0": {"size": 36}} if not grid else {},
        "cols": cols,
        "merges": [],
        "cells": cells,
        "styles": styles or {},
        "formats": formats or {},
        "borders": {},
        "conditionalFormats": [],
        "figures": figures,
        "tables": [],
        "areGridLinesVisible": grid,
        "isVisible": True,
        "headerGroups": {"ROW": [], "COL": []},
        "dataValidationRules": [],
        "comments": {},
    }


def build_profitability():
    """Revenue, gross margin, cost to serve, net contribution, share of
    unprofitable customers and value at risk; the whale curve; net
    contribution by sales team and by region; the ten largest values at risk
    with their churn reason (docs/profitability.md, "Dashboard")."""
    cells = {
        "A1": t("Customer profitability"),
        "A40": t("Largest values at risk"),
    }
    columns = [
        ("partner_id", "Customer"),
        ("value_at_risk", "Value at risk"),
        ("churn_risk", "Churn risk"),
        ("churn_risk_reason", "Why"),
    ]
    for col, (field, _label) in zip("ABCD", columns, strict=True):
        cells[f"{col}41"] = {"content": f'=ODOO.LIST.HEADER(1,"{field}")'}
        for i in range(1, 11):
            cells[f"{col}{41 + i}"] = {"content": f'=ODOO.LIST(1,{i},"{field}")'}
    data_cells = {"A1": t("KPI"), "B1": t("Value")}
    for i, (field, label) in enumerate(PROFIT_MEASURES, start=2):
        data_cells[f"A{i}"] = t(label)
        data_cells[f"B{i}"] = {"content": f'=PIVOT.VALUE(1,"{field}")'}
    data_cells["A6"] = t("Unprofitable customers (%)")
    data_cells["B6"] = {
        "content": '=ROUND(100*IFERROR(PIVOT.VALUE(2,"__count","profit_class",'
        '"unprofitable")/PIVOT.VALUE(2,"__count"),0),1)'
    }
    data_cells["A7"] = t("Value at risk")
    data_cells["B7"] = {"content": '=PIVOT.VALUE(3,"value_at_risk")'}
    # money in thousands (50.46k): the full amounts do not fit a card
    figures = [
        scorecard(f"sc-{field}", 6 + i * 184, label, f"Data!B{i + 2}", humanize=True)
        for i, (field, label) in enumerate(PROFIT_MEASURES)
    ]
    figures += [
        scorecard(
            "sc-unprofitable", 6 + 4 * 184, "Unprofitable customers %", "Data!B6"
        ),
        scorecard(
            "sc-value-at-risk", 6 + 5 * 184, "Value at risk", "Data!B7", humanize=True
        ),
    ]
    whale = odoo_chart(
        "chart-whale",
        0,
        150,
        1110,
        320,
        "Whale curve: net contribution cumulated, best customers first",
        "odoo_line",
        PROFIT,
        ["partner_id"],
        "net_contribution",
        [],
        profit_matching(),
    )
    whale["data"]["cumulative"] = True
    whale["data"]["metaData"]["order"] = "DESC"
    figures += [
        whale,
        odoo_chart(
            "chart-team",
            0,
            480,
            550,
            300,
            "Net contribution by sales team",
            "odoo_bar",
            PROFIT,
            ["team_id"],
            "net_contribution",
            [],
            profit_matching(),
        ),
        odoo_chart(
            "chart-region",
            560,
            480,
            550,
            300,
            "Net contribution by region",
            "odoo_bar",
            PROFIT,
            ["state_id"],
            "net_contribution",
            [],
            profit_matching(),
        ),
    ]
    measures = [
        {"id": field, "fieldName": field, "aggregator": "sum"}
        for field, _ in PROFIT_MEASURES
    ]
    cols = {"0": {"size": 220}, "1": {"size": 130}, "2": {"size": 100}}
    cols["3"] = {"size": 420}
    return {
        "version": 21,
        "odooVersion": 12,
        "sheets": [
            sheet(
                "dashboard",
                "Dashboard",
                cells,
                figures,
                cols,
                {"A1": 1, "A40": 2, "A41:D41": 3},
            ),
            sheet(
                "data",
                "Data",
                data_cells,
                [],
                {"0": {"size": 180}},
                grid=True,
            ),
        ],
        "styles": {
            "1": {"textColor": "#01666b", "bold": True, "fontSize": 16},
            "2": {"textColor": "#434343", "bold": True, "fontSize": 12},
            "3": {"textColor": "#434343", "bold": True},
        },
        "formats": {},
        "borders": {},
        "revisionId": "START_REVISION",
        "uniqueFigureIds": True,
        "settings": {"locale": {"name": "English (US)", "code": "en_US"}},
        "pivots": {
            "1": {
                "type": "ODOO",
                "name": "Profitability",
                "model": PROFIT,
                "domain": [],
                "context": {},
                "measures": measures,
                "rows": [],
                "columns": [],
                "sortedColumn": None,
                "formulaId": "1",
                "fieldMatching": profit_matching(),
            },
            "2": {
                "type": "ODOO",
                "name": "Customers by profit class",
                "model": METRICS,
                "domain": [["profit_class", "!=", False]],
                "context": {},
                "measures": [{"id": "__count", "fieldName": "__count"}],
                "rows": [{"fieldName": "profit_class"}],
                "columns": [],
                "sortedColumn": None,
                "formulaId": "2",
                "fieldMatching": customer_matching(),
            },
            "3": {
                "type": "ODOO",
                "name": "Value at risk",
                "model": METRICS,
                "domain": [],
                "context": {},
                "measures": [
                    {
                        "id": "value_at_risk",
                        "fieldName": "value_at_risk",
                        "aggregator": "sum",
                    }
                ],
                "rows": [],
                "columns": [],
                "sortedColumn": None,
                "formulaId": "3",
                "fieldMatching": customer_matching(),
            },
        },
        "pivotNextId": 4,
        "customTableStyles": {},
        "globalFilters": [
            {
                "id": F_MONTH,
                "type": "date",
                "label": "Month",
                "defaultValue": "last_year",
                "rangeType": "relative",
            },
            {
                "id": F_TEAM,
                "type": "relation",
                "label": "Sales team",
                "modelName": "crm.team",
                "defaultValue": [],
                "defaultValueDisplayNames": [],
            },
        ],
        "lists": {
            "1": {
                "id": "1",
                "name": "Largest values at risk",
                "model": METRICS,
                "columns": [field for field, _ in columns],
                "domain": [["value_at_risk", ">", 0]],
                "context": {},
                "orderBy": [{"name": "value_at_risk", "asc": False}],
                "fieldMatching": customer_matching(),
            }
        },
        "listNextId": 2,
        "chartOdooMenusReferences": {},
    }


def main():
    for path, content in ((OUT, build()), (OUT_PROFIT, build_profitability())):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=1, ensure_ascii=False) + "\n")
        print(path)


if __name__ == "__main__":
    main()
