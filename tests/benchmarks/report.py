# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The report writer: the markdown table of a run's results."""

import json
import statistics


def markdown(result):
    lines = [
        f"# Benchmark {result['size']} ({result['machine']['date']}, commit "
        f"{result['machine']['commit']})",
        "",
        f"Machine: {result['machine']['cpus']} CPUs, {result['machine']['platform']}, "
        f"PostgreSQL {result['machine']['postgresql']} "
        f"({result['machine']['pg_settings']}).",
        "",
        f"Dataset: {json.dumps(result['dataset'])}.",
        "",
        "| scenario | ours | baseline | ratio | target |",
        "|---|---|---|---|---|",
    ]
    rel = result.get("relationship_full")
    if rel and "nightly" in rel:
        lines.append(
            f"| first full computation ({rel['customers']} customer rows inserted"
            f" and staged, {rel['queries']} queries) | {rel['ours']['median']:.2f} s "
            f"(p95 {rel['ours']['p95']:.2f}; in SQL "
            f"{statistics.median(rel['sql_seconds']):.2f} s) | raw SQL, same "
            f"outputs {rel['raw_full_first']['median']:.2f} s | "
            f"{rel['ratio_first_vs_raw_full']}x | <= 1.5x |"
        )
        lines.append(
            f"| same vs the minimal raw SQL of earlier runs (a third of the "
            f"outputs) | {rel['ours']['median']:.2f} s | "
            f"{rel['raw_sql']['median']:.2f} s | {rel['ratio_vs_raw_sql']}x | |"
        )
        lines.append(
            "| nightly full recompute, next day (every row changes) | "
            f"{rel['nightly']['median']:.2f} s (p95 {rel['nightly']['p95']:.2f}; "
            f"in SQL {statistics.median(rel['nightly_sql_seconds']):.2f} s) | "
            f"raw SQL, same outputs {rel['raw_full_nightly']['median']:.2f} s | "
            f"{rel['ratio_nightly_vs_raw_full']}x | <= 1.5x |"
        )
        lines.append(
            f"| vs naive ORM loop (extrapolated {rel['naive_extrapolated_seconds']} s)"
            f" | first {rel['ours']['median']:.2f} s, nightly "
            f"{rel['nightly']['median']:.2f} s | | {rel['speedup_vs_naive']}x / "
            f"{rel['nightly_speedup_vs_naive']}x faster | >= 100x |"
        )
        lines.append(
            "| recompute with nothing changed | "
            f"{rel['unchanged_seconds']:.2f} s (in SQL "
            f"{rel['unchanged_sql_seconds']:.2f} s) | | | |"
        )
        lines.append(
            f"| correctness: mismatches vs naive on a sample | {rel['mismatches']} | | "
            "| 0 |"
        )
        lines.append(
            f"| memory growth of a full recompute | {rel['rss_growth_mb']} MB"
            " | | | <= 500 MB |"
        )
    srv = result.get("service_full")
    if srv:
        lines.append(
            f"| full service-level recompute ({srv['orders']} orders) | "
            f"{srv['ours']['median']:.2f} s | raw SQL, same outputs "
            f"{srv['raw_full']['median']:.2f} s ({srv['raw_full_mismatches']} "
            f"orders differ); minimal {srv['raw_sql']['median']:.2f} s |"
            f" {srv['ratio_vs_raw_full']}x (minimal {srv['ratio_vs_raw_sql']}x) "
            "| <= 1.5x |"
        )
    conf = result.get("confirm_validate", {})
    for key, entry in conf.items():
        lines.append(
            f"| {key.replace('_', ' ')} (median / p95 ms, queries) | "
            f"{entry['ours_ms']['median']} / {entry['ours_ms']['p95']}, "
            f"{entry['ours_queries']} | {entry['base_ms']['median']} / "
            f"{entry['base_ms']['p95']}, {entry['base_queries']} | "
            f"+{entry['added_median_percent']} % / +{entry['added_p95_percent']} % | "
            "<= 5 % (p95) |"
        )
    burst = result.get("burst")
    if burst:
        lines.append(
            f"| burst of {burst['orders']} orders: one cron run | "
            f"{burst['one_cron_run_seconds']} s: {burst['batches']} batches of "
            f"{burst['per_batch_ms']} ms each + {burst['company_pass_ms']} ms "
            "company pass,"
            f" {burst['remaining_after_one_run']} left | | | one run, <= 100 ms/batch |"
        )
    for name, entry in result.get("reports", {}).items():
        extra = (
            f"; sale.report {entry['sale_report_by_customer_ms']} ms"
            if "sale_report_by_customer_ms" in entry
            else ""
        )
        lines.append(
            f"| {name.replace('_', ' ')} (median / p95 ms) | "
            f"{entry['orm_ms']['median']}"
            f" / {entry['orm_ms']['p95']} | raw SQL {entry['raw_sql_ms']['median']}"
            f"{extra} | {entry['ratio_vs_raw_sql']}x | <= 1.5x, p95 <= 200 ms (M) |"
        )
    tpl = result.get("templates", {})
    if tpl:
        lines.append(
            "| install on the loaded database | "
            f"{tpl.get('install_beyond_registry_seconds')}"
            f" s beyond registry load ({tpl.get('install_seconds')} s in all; then "
            f"{tpl.get('deferred_fill_seconds')} s in the fill cron) | | | "
            "<= 60 s (L) |"
        )
    cc = result.get("concurrency")
    if cc:
        lines.append(
            f"| concurrent confirms, one customer ({cc['rounds']} rounds) | "
            f"{cc['serialization']} serialization failures, {cc['other']} other "
            "| | | 0 |"
        )
    fid = result.get("fidelity")
    if fid and "mismatches" in fid:
        lines.append(
            f"| fast data vs the real ORM flows ({fid['orders']} orders, "
            f"{fid['lines']} lines, states {', '.join(fid['states'])}; "
            f"{fid['compared']} figures) | {fid['mismatches']} mismatches | | | 0 |"
        )
    prof = result.get("profitability")
    if prof and "engine" in prof:
        eng = prof["engine"]
        lines.append(
            f"| profitability statement, every customer of a company "
            f"({eng['customers']}; {eng['mismatches']} mismatches) | "
            f"{eng['ours_s']['median']:.2f} s | raw SQL, same outputs "
            f"{eng['raw_sql_s']['median']:.2f} s | {eng['ratio_vs_raw_sql']}x"
            " | <= 1.5x |"
        )
        for name in (
            "profitability_pivot_by_team",
            "profitability_pivot_by_month",
            "whale_curve_by_customer",
        ):
            if name in prof:
                ms = prof[name]["orm_ms"]
                lines.append(
                    f"| {name.replace('_', ' ')} (median / p95 ms) | "
                    f"{ms['median']} / {ms['p95']} | | | p95 <= 200 ms (M), 1 s (L) |"
                )
    pf = result.get("prefork_first_computation")
    if pf:
        lines.append(
            f"| first computation in prefork mode ({pf['customers']} customers; 2 "
            f"HTTP + 2 cron workers, budget {pf['budget_seconds']} s, "
            f"limit_time_real_cron {pf['limit_time_real_cron']} s) | "
            f"{pf['seconds_until_drained']} s until drained, {pf['calls']} calls, "
            f"longest {pf['longest_call_seconds']} s, {pf['calls_over_time_limit']} "
            f"over the time limit, {pf['errors_in_log']} errors logged | | | "
            "every call under the time limit |"
        )
    lines += _history_lines(result)
    for name, error in result.get("errors", {}).items():
        lines.append(f"| scenario {name} failed: {error} | | | | |")
    return "\n".join(lines) + "\n"


def _history_lines(result):
    """The rows of the history scenario (issue #17)."""
    lines = []
    hist = result.get("history")
    if hist and "backfill" in hist:
        bf = hist["backfill"]
        calls = bf["call_seconds"]
        lines.append(
            f"| history backfill ({bf['month_ends']} month ends of "
            f"{bf['companies']} companies, {bf['rows']} snapshot rows; "
            f"{bf['calls']} calls of the scheduled action, budget "
            f"{bf['budget_seconds']} s) | {bf['seconds']:.1f} s in all, "
            f"{bf['per_month_seconds']} s per month end, calls median "
            f"{calls.get('median', 0):.1f} s, longest {calls.get('max', 0):.1f} s"
            " | | | <= 5 min (M), each call under the budget plus one month |"
        )
        for name in (
            "customers_per_stage_by_month",
            "retention_cohorts",
            "otif_and_contribution_by_month",
            "stage_flow",
        ):
            if name in hist:
                ms = hist[name]["orm_ms"]
                lines.append(
                    f"| history: {name.replace('_', ' ')} (median / p95 ms) | "
                    f"{ms['median']} / {ms['p95']} | | | p95 <= 200 ms (M) |"
                )
    return lines
