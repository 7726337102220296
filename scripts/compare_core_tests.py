# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Compare two Odoo test logs: Odoo's own suites with and without our addons.

Usage: compare_core_tests.py WITH_LOG WITHOUT_LOG

Prints, for each log, the number of tests run, failed and in error (from
Odoo's ``odoo.tests.result`` lines) and the failing tests; exits 1 when a test
fails or errors with our addons and passes without them, or when a log holds
no test result at all.
"""

import re
import sys

RESULT = re.compile(
    r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+) tests"
)
# "<date> <time> <pid> ERROR <db> odoo.addons.sale.tests.test_x: FAIL: Cls.test"
FAILURE = re.compile(
    r"^\S+ \S+ \d+ (?:ERROR|CRITICAL) \S+ (odoo\.addons\.[\w.]+): "
    r"(FAIL|ERROR): (.+?)\s*$"
)


def read_log(path):
    run = failed = errors = 0
    bad = set()
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            match = RESULT.search(line)
            if match:
                failed += int(match[1])
                errors += int(match[2])
                run += int(match[3])
                continue
            match = FAILURE.match(line)
            if match:
                bad.add(f"{match[1]}: {match[3]}")
    return run, failed, errors, bad


def main(with_log, without_log):
    w_run, w_failed, w_errors, w_bad = read_log(with_log)
    o_run, o_failed, o_errors, o_bad = read_log(without_log)
    print(f"with our addons:    {w_run} tests, {w_failed} failed, {w_errors} error(s)")
    print(f"without our addons: {o_run} tests, {o_failed} failed, {o_errors} error(s)")
    for name in sorted(o_bad):
        print(f"  fails without our addons too (not ours): {name}")
    ours = sorted(w_bad - o_bad)
    for name in ours:
        print(f"  FAILS ONLY WITH OUR ADDONS: {name}")
    if not w_run or not o_run:
        print("no test ran in one of the two runs: see the logs")
        return 1
    if w_run != o_run:
        print(f"the runs differ in their number of tests ({w_run} vs {o_run})")
        return 1
    print(f"{len(ours)} failed, 0 error(s) only with our addons")
    return 1 if ours else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
