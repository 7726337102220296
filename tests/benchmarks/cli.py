# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Benchmark harness of the two addons (issue #6): ``make bench SIZE=S|M|L``.

Builds, once per size, a template database with the generated history
(``crmbench_<size>_base``, without our addons) and a copy with our addons
installed on it (``crmbench_<size>_ours``, the install is timed); every
scenario runs on fresh copies of those templates, against baselines measured
in the same run and interleaved with it. Writes a JSON file and a markdown
table (medians, p95, query counts, ratios) with the machine, PostgreSQL
settings, commit and dataset.
"""

import argparse
import json
import os
import sys
import time
import traceback

import odoo

from . import datagen
from .harness import dataset, ensure_templates, machine, rss_mb
from .report import markdown
from .scenario_burst import scenario_burst
from .scenario_concurrency import scenario_concurrency
from .scenario_confirm import scenario_confirm
from .scenario_fidelity import scenario_fidelity
from .scenario_history import scenario_history
from .scenario_prefork import scenario_prefork
from .scenario_profitability import scenario_profitability
from .scenario_relationship import scenario_relationship
from .scenario_reports import scenario_reports
from .scenario_service import scenario_service


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="S", choices=sorted(datagen.SIZES))
    parser.add_argument("--config", required=True)
    parser.add_argument("--deps", required=True)
    parser.add_argument("--addons", required=True)
    parser.add_argument("--odoo-bin", required=True)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--naive-sample", type=int, default=100)
    parser.add_argument("--confirm-n", type=int, default=20)
    parser.add_argument("--concurrency-rounds", type=int, default=10)
    parser.add_argument(
        "--only", default="", help="comma-separated scenarios to run (default: all)"
    )
    parser.add_argument(
        "--reinstall",
        action="store_true",
        help="install our addons again on the base template (timed)",
    )
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    odoo.tools.config.parse_config(["-c", args.config, "--log-level=warn"])
    odoo.tools.config["max_cron_threads"] = 0
    result = {"size": args.size, "machine": machine(args)}
    t0 = time.perf_counter()
    base, ours = ensure_templates(args, result)
    result["dataset"] = dataset(ours)
    scenarios = {
        "relationship": lambda: scenario_relationship(args, ours, result),
        "service": lambda: scenario_service(args, ours, result),
        "confirm": lambda: scenario_confirm(args, base, ours, result),
        "burst": lambda: scenario_burst(args, ours, result),
        "reports": lambda: scenario_reports(args, ours, result),
        "concurrency": lambda: scenario_concurrency(args, ours, result),
        "fidelity": lambda: scenario_fidelity(args, ours, result),
        "profitability": lambda: scenario_profitability(args, ours, result),
        "prefork": lambda: scenario_prefork(args, ours, result),
        "history": lambda: scenario_history(args, ours, result),
    }
    only = [s for s in args.only.split(",") if s] or list(scenarios)
    for name in only:
        print(f"[bench] scenario {name}", flush=True)
        try:
            scenarios[name]()
        except Exception as exc:  # the other scenarios' results are kept
            traceback.print_exc()
            result.setdefault("errors", {})[name] = repr(exc)
    result["peak_rss_mb"] = round(rss_mb()["VmHWM"], 1)
    result["total_seconds"] = round(time.perf_counter() - t0, 1)
    stem = os.path.join(args.out_dir, f"bench-{args.size}")
    with open(stem + ".json", "w") as f:
        json.dump(result, f, indent=1, default=str)
    table = markdown(result)
    with open(stem + ".md", "w") as f:
        f.write(table)
    print(table)
    print(f"[bench] {stem}.json and {stem}.md written", flush=True)
