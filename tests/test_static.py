# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Static checks of the two addons: manifests, files, headers."""

import ast
import csv
import pathlib
import re

import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ["crm_relationship", "crm_supply_chain_link"]


def _version(text):
    return tuple(int(part) for part in text.split("."))


def manifest(addon):
    return ast.literal_eval((REPO / addon / "__manifest__.py").read_text())


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest(addon):
    m = manifest(addon)
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", m["version"])
    # every migration folder names a version up to the manifest's
    for folder in (REPO / addon / "migrations").glob("*"):
        assert _version(folder.name) <= _version(m["version"]), folder
    assert m["license"] == "LGPL-3"
    assert m["author"] == "CRM-in-ERP Project"
    assert m["installable"] is True
    assert m["development_status"] in {"Alpha", "Beta", "Production/Stable", "Mature"}
    assert "description" not in m
    for key in ("data", "demo"):
        for path in m.get(key, []):
            assert (REPO / addon / path).is_file(), f"{addon}: {path} is missing"


def test_dependencies():
    assert manifest("crm_relationship")["depends"] == ["sale", "mail"]
    assert manifest("crm_supply_chain_link")["depends"][:1] == ["crm_relationship"]
    assert "sale_stock" in manifest("crm_supply_chain_link")["depends"]


@pytest.mark.parametrize("addon", ADDONS)
def test_layout(addon):
    for path in (
        "__init__.py",
        "pyproject.toml",
        "readme/DESCRIPTION.md",
        "readme/USAGE.md",
        "static/description/icon.png",
        "tests/__init__.py",
    ):
        assert (REPO / addon / path).is_file(), f"{addon}: {path} is missing"


@pytest.mark.parametrize("addon", ADDONS)
def test_license_headers(addon):
    for path in (REPO / addon).rglob("*"):
        if path.suffix in {".py", ".xml"} and path.name != "__init__.py":
            head = path.read_text()[:400]
            assert "License LGPL-3.0" in head, f"{path} has no license header"


@pytest.mark.parametrize("addon", ADDONS)
def test_access_csv_ids(addon):
    path = REPO / addon / "security" / "ir.model.access.csv"
    if not path.exists():
        return
    rows = list(csv.DictReader(path.open()))
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        assert row["id"].startswith("access_"), row["id"]


def test_cost_drivers_ship_inactive():
    """The example cost drivers change nothing until an administrator
    activates them (issue #16); only the demo data activates them."""
    import xml.etree.ElementTree as ET

    path = REPO / "crm_supply_chain_link" / "data" / "crm_cost_driver_data.xml"
    records = ET.parse(path).getroot().findall("record")
    assert len(records) == 8
    for record in records:
        active = record.find("field[@name='active']")
        assert active is not None and active.get("eval") == "False", record.get("id")


SQL_WORDS = re.compile(
    r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|TRUNCATE)\b[^\n]*\b"
    r"(FROM|INTO|SET|TABLE|DATABASE|INDEX|VIEW|WHERE)\b"
)


def test_no_sql_built_by_formatting():
    """SQL and DDL only through odoo.tools.SQL (or psycopg2.sql outside Odoo):
    no statement assembled by an f-string, % or .format() anywhere in the
    repository, tests included."""
    offenders = []
    for path in REPO.rglob("*.py"):
        if ".build" in path.parts or ".git" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            text = None
            if isinstance(node, ast.JoinedStr):
                text = "".join(
                    v.value for v in node.values if isinstance(v, ast.Constant)
                )
            elif (
                isinstance(node, ast.BinOp)
                and isinstance(node.op, ast.Mod)
                and isinstance(node.left, ast.Constant)
                and isinstance(node.left.value, str)
            ):
                text = node.left.value
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "format"
                and isinstance(node.func.value, ast.Constant)
                and isinstance(node.func.value.value, str)
            ):
                text = node.func.value.value
            if text and SQL_WORDS.search(text.upper()):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not offenders, offenders
