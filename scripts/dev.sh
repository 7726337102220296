#!/usr/bin/env bash
# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
#
# One script, several sub-commands; the Makefile calls it.
#   setup   find Odoo 18.0, build the virtual environment, check PostgreSQL
#   run     setup + demo database (once) + serve Odoo on http://localhost:8069
#   test    setup + fresh test database from a cached template + Odoo tests of
#           both addons + repository tests (pytest) + log check + test-core
#   test-server  prefork Odoo (workers, cron workers, a worker killed) on
#           copies of the test database (tests/server); part of test
#   test-core  Odoo's own suites (tests/core_suites.txt) with and without our
#           addons; fails on a test that fails only with them
#   lint    ruff + pylint-odoo on both addons
#   bench   setup + benchmark templates (once per SIZE=S|M|L) + scenarios
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${CRM_ERP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/crm-erp}
ODOO_CACHE_SRC=$CACHE/odoo-18.0
ODOO_ARCHIVE_URL=${ODOO_ARCHIVE_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}
PYTHON=${PYTHON:-python3}
VENV=${CRM_ERP_VENV:-$CACHE/venv}
BUILD=$REPO/.build
OUR_ADDONS=crm_relationship,crm_supply_chain_link
TEST_DB=${TEST_DB:-crm_erp_test}
DEMO_DB=${DEMO_DB:-crm_erp_demo}
# what a real user has beside our addons: the Sales app (its settings page
# holds ours) and CRM (opportunities take part in handovers)
DEMO_EXTRA_MODULES=${DEMO_EXTRA_MODULES:-sale_management,crm}
HTTP_PORT=${HTTP_PORT:-8069}
TEST_HTTP_PORT=${TEST_HTTP_PORT:-8169}

say() { printf '[crm-erp] %s\n' "$*" >&2; }
die() {
    printf '\n[crm-erp] ERROR: %s\n\n' "$*" >&2
    exit 1
}

is_odoo18() {
    [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ] \
        && grep -q "^version_info = (18, 0," "$1/odoo/release.py"
}

# ---- Odoo source ------------------------------------------------------------
find_odoo() {
    if [ -n "${ODOO_SRC:-}" ]; then
        is_odoo18 "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree \
(no odoo-bin, or odoo/release.py is not 18.0). Point ODOO_SRC at an Odoo 18.0 \
source tree, or unset it to use the cache folder $ODOO_CACHE_SRC."
        ODOO_SRC=$(cd "$ODOO_SRC" && pwd)
        return
    fi
    if is_odoo18 "$ODOO_CACHE_SRC"; then
        ODOO_SRC=$ODOO_CACHE_SRC
        return
    fi
    say "No Odoo 18.0 in ODOO_SRC or $ODOO_CACHE_SRC: downloading Odoo's official source archive"
    say "  $ODOO_ARCHIVE_URL"
    local tmp
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/crm-erp-odoo.XXXXXX")
    if curl -fsSL --connect-timeout 15 --speed-time 30 --speed-limit 1024 \
        -o "$tmp/odoo.tar.gz" "$ODOO_ARCHIVE_URL" 2>"$tmp/curl.err" \
        && tar -xzf "$tmp/odoo.tar.gz" -C "$tmp" \
        && src=$(dirname "$(find "$tmp" -maxdepth 2 -name odoo-bin | head -1)") \
        && is_odoo18 "$src"; then
        mkdir -p "$CACHE"
        rm -rf "$ODOO_CACHE_SRC"
        mv "$src" "$ODOO_CACHE_SRC"
        rm -rf "$tmp"
        ODOO_SRC=$ODOO_CACHE_SRC
        return
    fi
    local why
    why=$(tail -1 "$tmp/curl.err" 2>/dev/null || true)
    rm -rf "$tmp"
    die "Odoo 18.0 not found, and it could not be downloaded (${why:-download failed}).
  Either set ODOO_SRC to an Odoo 18.0 Community source tree (the folder holding odoo-bin),
  or put one in the cache folder $ODOO_CACHE_SRC
  (it is filled from $ODOO_ARCHIVE_URL when empty and the network allows).
  No test was run."
}

# ---- Python virtual environment ----------------------------------------------
odoo_requirements() {
    # Odoo's own pinned list, minus what odoo-python-overrides.txt replaces.
    local names
    names=$(grep -Ev '^\s*(#|$)' "$REPO/odoo-python-overrides.txt" | sed -E 's/[=<>!~ ;].*//' | paste -sd'|')
    grep -Eiv "^($names)\b" "$ODOO_SRC/requirements.txt"
    grep -Ev '^\s*(#|$)' "$REPO/odoo-python-overrides.txt" | grep -E '[=<>]'
}

setup_venv() {
    mkdir -p "$BUILD"
    odoo_requirements >"$BUILD/odoo-requirements.txt"
    local stamp
    stamp=$( (
        "$PYTHON" --version
        echo "$ODOO_SRC"
        cat "$BUILD/odoo-requirements.txt" "$REPO/requirements.txt" "$REPO/test-requirements.txt"
    ) | sha256sum | cut -c1-16)
    if [ -f "$VENV/.crm-erp-stamp" ] && [ "$(cat "$VENV/.crm-erp-stamp")" = "$stamp" ]; then
        return
    fi
    say "Building the Python environment in $VENV (once; a few minutes)"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV" || die "cannot create a virtual environment with $PYTHON"
    "$VENV/bin/pip" install -q --upgrade pip "setuptools<70" wheel
    "$VENV/bin/pip" install -q -r "$BUILD/odoo-requirements.txt" \
        -r "$REPO/requirements.txt" -r "$REPO/test-requirements.txt" \
        || die "installing the Python requirements failed (see pip's output above)"
    # Odoo itself is used from its source tree: a .pth makes `import odoo` work.
    "$VENV/bin/python" - "$ODOO_SRC" <<'PY'
import sys, sysconfig, pathlib
pathlib.Path(sysconfig.get_paths()["purelib"], "crm_erp_odoo_src.pth").write_text(sys.argv[1] + "\n")
PY
    "$VENV/bin/python" -c "import odoo, odoo.release as r; assert r.version_info[:2] == (18, 0)" \
        || die "the virtual environment cannot import Odoo 18.0 from $ODOO_SRC"
    echo "$stamp" >"$VENV/.crm-erp-stamp"
}

# ---- PostgreSQL --------------------------------------------------------------
check_postgres() {
    local where="${PGHOST:-the local socket}:${PGPORT:-5432}"
    pg_isready -q -t 5 -d postgres >/dev/null 2>&1 || die "PostgreSQL does not answer at $where.
  Start it (e.g. 'pg_ctlcluster 15 main start', or 'sudo systemctl start postgresql'),
  or point PGHOST / PGPORT / PGUSER at a running server."
    local user=${PGUSER:-$(id -un)}
    [ "$user" != postgres ] || die "Odoo must not connect to PostgreSQL as 'postgres'. Set PGUSER \
to another role that may create databases (createuser -d \$USER)."
    local ok
    ok=$(psql -d postgres -XAtc "select rolcreatedb or rolsuper from pg_roles where rolname = current_user" 2>/dev/null || true)
    [ "$ok" = t ] || die "PostgreSQL role '$user' cannot log in or cannot create databases at $where.
  Create it: sudo -u postgres createuser -d $user"
}

write_config() {
    mkdir -p "$BUILD" "$CACHE/data"
    cat >"$BUILD/odoo.cfg" <<EOF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$REPO
data_dir = $CACHE/data
admin_passwd = admin
db_host = ${PGHOST:-False}
db_port = ${PGPORT:-False}
db_user = ${PGUSER:-False}
db_password = ${PGPASSWORD:-False}
list_db = True
without_demo = False
http_interface = 127.0.0.1
max_cron_threads = 1
EOF
}

setup() {
    find_odoo
    setup_venv
    check_postgres
    write_config
    export PATH="$VENV/bin:$PATH"
    say "Odoo 18.0: $ODOO_SRC; venv: $VENV; PostgreSQL user: ${PGUSER:-$(id -un)}"
}

# Modules our addons depend on (outside this repository): the template database.
dependencies() {
    "$VENV/bin/python" - "$REPO" "$OUR_ADDONS" <<'PY'
import ast, pathlib, sys
repo, ours = pathlib.Path(sys.argv[1]), set(sys.argv[2].split(","))
deps = set()
for name in ours:
    deps |= set(ast.literal_eval((repo / name / "__manifest__.py").read_text())["depends"])
print(",".join(sorted(deps - ours)))
PY
}

db_exists() {
    [ "$(psql -d postgres -XAtc "select 1 from pg_database where datname = '$1'")" = 1 ]
}

addons_hash() {
    (cd "$REPO" && git ls-files -s crm_relationship crm_supply_chain_link 2>/dev/null
        git -C "$REPO" diff HEAD -- crm_relationship crm_supply_chain_link 2>/dev/null) | sha256sum | cut -c1-16
}

odoo_bin() { "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$BUILD/odoo.cfg" "$@"; }

# The test database also has what real companies run next to our addons, so
# that kits (mrp, sale_mrp), dropship (stock_dropshipping) and their routes are
# tested; our addons do not depend on them.
TEST_EXTRA_MODULES=mrp,sale_mrp,stock_dropshipping

init_db_from_template() {
    # click-odoo-initdb keeps a template per module set and copies it: the
    # dependencies (sale_stock, ...) are installed once, not on every run.
    local db=$1 modules=${2:-$(dependencies)}
    "$VENV/bin/click-odoo-initdb" -c "$BUILD/odoo.cfg" -n "$db" -m "$modules" \
        --cache-prefix crmerp --cache-max-age 30 --cache-max-size 4 --log-level warn
}

# ---- sub-commands ------------------------------------------------------------
ensure_demo_db() {
    local hash
    hash=$(addons_hash)
    if ! db_exists "$DEMO_DB"; then
        say "Creating the demo database $DEMO_DB (once)"
        init_db_from_template "$DEMO_DB"
        odoo_bin -d "$DEMO_DB" -i "$OUR_ADDONS,$DEMO_EXTRA_MODULES" --stop-after-init \
            --log-level=warn --http-port "$HTTP_PORT"
        echo "$hash" >"$CACHE/$DEMO_DB.stamp"
    elif [ "$(cat "$CACHE/$DEMO_DB.stamp" 2>/dev/null)" != "$hash" ]; then
        say "The addons changed since the demo database was built: updating them"
        odoo_bin -d "$DEMO_DB" -u "$OUR_ADDONS" --stop-after-init --log-level=warn --http-port "$HTTP_PORT"
        echo "$hash" >"$CACHE/$DEMO_DB.stamp"
    fi
}

cmd_run() {
    setup
    ensure_demo_db
    say "Serving Odoo on http://localhost:$HTTP_PORT (login admin / admin); Ctrl-C stops it"
    exec "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$BUILD/odoo.cfg" -d "$DEMO_DB" \
        --db-filter "^$DEMO_DB\$" --http-port "$HTTP_PORT" --http-interface "${HTTP_INTERFACE:-127.0.0.1}"
}

check_log() {
    # Any WARNING, ERROR or CRITICAL line in the Odoo log fails the run.
    local log=$1 bad
    bad=$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (WARNING|ERROR|CRITICAL) ' "$log" || true)
    if [ -n "$bad" ]; then
        say "The Odoo log has warnings or errors:"
        printf '%s\n' "$bad" | head -40 >&2
        return 1
    fi
}

# OCA's XML formatter (prettier with its XML plugin, the versions of OCA's
# pre-commit set), installed once from the npm registry into the cache folder
PRETTIER_PACKAGES="prettier@2.7.1 @prettier/plugin-xml@2.2.0"
setup_prettier() {
    local dir=$CACHE/node stamp
    stamp=$(echo "$PRETTIER_PACKAGES" | sha256sum | cut -c1-16)
    if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
        command -v npm >/dev/null 2>&1 \
            || die "npm (Node.js) is needed by make lint for OCA's XML formatter:" \
                "install it with 'sudo apt-get install nodejs npm'"
        say "Installing $PRETTIER_PACKAGES into $dir"
        rm -rf "$dir" && mkdir -p "$dir"
        # shellcheck disable=SC2086
        npm install --prefix "$dir" --no-audit --no-fund --silent $PRETTIER_PACKAGES \
            || die "npm could not install $PRETTIER_PACKAGES"
        echo "$stamp" >"$dir/.stamp"
    fi
    PRETTIER="$dir/node_modules/.bin/prettier --plugin=$dir/node_modules/@prettier/plugin-xml"
}

cmd_lint() {
    [ -n "${VENV_READY:-}" ] || setup
    setup_prettier
    say "Lint: prettier (XML, OCA's settings in .prettierrc.yml)"
    (cd "$REPO" && $PRETTIER --config .prettierrc.yml --check \
        "crm_relationship/**/*.xml" "crm_supply_chain_link/**/*.xml" >/dev/null) \
        || die "XML not formatted as prettier does: run" \
            "$PRETTIER --config .prettierrc.yml --write 'crm_*/**/*.xml'"
    say "Lint: ruff"
    (cd "$REPO" && ruff check . && ruff format --check .)
    say "Lint: README.rst of each addon generated from its readme/ fragments"
    (cd "$REPO" && "$VENV/bin/python" scripts/gen_addon_readme.py --check)
    say "Lint: pylint-odoo"
    (cd "$REPO" && pylint --rcfile=.pylintrc crm_relationship crm_supply_chain_link)
    say "Lint: OCA's module and translation checks"
    (cd "$REPO" && oca-checks-odoo-module crm_relationship crm_supply_chain_link \
        && oca-checks-po crm_relationship/i18n/*.po* crm_supply_chain_link/i18n/*.po*)
    say "Lint: no messages"
}

require_chromium() {
    # Odoo's browser tests (tours) drive a headless Chromium; a missing one
    # would make Odoo skip them, and a skipped test fails the run
    local bin
    for bin in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$bin" >/dev/null 2>&1 && return 0
    done
    die "Chromium is needed by make test (Odoo's browser tests): install it with" \
        "'sudo apt-get install chromium' (Debian) or 'sudo apt-get install chromium-browser'" \
        "(Ubuntu), then run make test again"
}

cmd_test() {
    setup
    require_chromium
    VENV_READY=1 cmd_lint
    local log=$BUILD/odoo-test.log t0=$SECONDS
    : >"$log"
    local modules
    modules="$(dependencies),$TEST_EXTRA_MODULES"
    say "Test database $TEST_DB from the cached template of: $modules"
    "$VENV/bin/click-odoo-dropdb" -c "$BUILD/odoo.cfg" --if-exists "$TEST_DB"
    init_db_from_template "$TEST_DB" "$modules"
    say "Template ready in $((SECONDS - t0)) s; installing $OUR_ADDONS with --test-enable"
    local rc=0
    odoo_bin -d "$TEST_DB" -i "$OUR_ADDONS" --test-enable --stop-after-init \
        --log-level=info --http-port "$TEST_HTTP_PORT" --max-cron-threads 0 \
        --logfile "$log" || rc=$?
    grep -E 'odoo\.tests\.(stats|result)' "$log" >&2 || true
    local failed
    failed=$(grep -cE ' (ERROR|CRITICAL) .*(FAIL|ERROR):|odoo\.tests\.result: [1-9][0-9]* failed|odoo\.tests\.result: [0-9]+ failed, [1-9]' "$log" || true)
    local ran
    ran=$(grep -oE 'odoo\.tests\.stats: (crm_relationship|crm_supply_chain_link): [0-9]+ tests' "$log" \
        | awk '{s += $(NF-1)} END {print s + 0}')
    local ours='odoo\.addons\.(crm_relationship|crm_supply_chain_link)\.tests'
    local skipped browser
    skipped=$(grep -cE "$ours\.[a-z_]+: skipped " "$log" || true)
    browser=$(grep -cE "$ours\.test_browser: Starting TestBrowser\." "$log" || true)
    say "Odoo tests of our addons run: $ran, of which browser tests (tours, menus): $browser"
    [ "$rc" = 0 ] || die "Odoo exited with $rc (log: $log)"
    [ "$failed" = 0 ] || die "Odoo tests failed (log: $log)"
    [ "$ran" -gt 0 ] || die "no Odoo test of our addons ran (log: $log)"
    [ "$skipped" = 0 ] || die "$skipped Odoo tests of our addons were skipped (log: $log)"
    [ "$browser" -gt 0 ] || die "no browser test of our addons ran (log: $log)"
    check_log "$log" || die "warnings or errors in the Odoo log (log: $log)"
    say "Repository tests (pytest)"
    (cd "$REPO" && "$VENV/bin/python" -m pytest tests -p no:cacheprovider \
        --odoo-config "$BUILD/odoo.cfg" --odoo-database "$TEST_DB" --ignore=tests/benchmarks \
        --ignore=tests/server)
    VENV_READY=1 cmd_test_server
    say "Our addons' tests green in $((SECONDS - t0)) s"
    if [ "${CORE:-1}" = 0 ]; then
        say "CORE=0: Odoo's own suites skipped on request (make test-core runs them)"
    else
        VENV_READY=1 cmd_test_core
    fi
    say "All green in $((SECONDS - t0)) s"
}

# ---- Production server mode ---------------------------------------------------
cmd_test_server() {
    # prefork Odoo (workers, cron workers, time limits, a worker killed) on
    # copies of the test database that `make test` built (tests/server)
    [ -n "${VENV_READY:-}" ] || setup
    db_exists "$TEST_DB" || die "the test database $TEST_DB does not exist: run make test first"
    local t0=$SECONDS bare=${TEST_DB}_bare
    say "Production server mode (tests/server): prefork Odoo on copies of $TEST_DB"
    # the upgrade test installs the previous release on the test database's
    # modules without ours: a copy of the cached template
    "$VENV/bin/click-odoo-dropdb" -c "$BUILD/odoo.cfg" --if-exists "$bare"
    init_db_from_template "$bare" "$(dependencies),$TEST_EXTRA_MODULES"
    (cd "$REPO" && CRM_ERP_PYTHON="$VENV/bin/python" CRM_ERP_ODOO_BIN="$ODOO_SRC/odoo-bin" \
        CRM_ERP_ODOO_CONFIG="$BUILD/odoo.cfg" CRM_ERP_SOURCE_DB="$TEST_DB" CRM_ERP_BARE_DB="$bare" \
        "$VENV/bin/python" -m pytest tests/server -p no:odoo -p no:cacheprovider -v \
        --basetemp "$BUILD/server-tests") || die "the production server tests failed (logs: $BUILD/server-tests)"
    say "Production server mode green in $((SECONDS - t0)) s"
}

# ---- Odoo's own suites with and without our addons ---------------------------
core_suites() { grep -Ev '^\s*(#|$)' "$REPO/tests/core_suites.txt" | awk '{print $1}'; }

cmd_test_core() {
    [ -n "${VENV_READY:-}" ] || setup
    local t0=$SECONDS modules tags
    modules=$( (core_suites | sed 's/:.*//'; dependencies | tr , '\n') | sort -u | paste -sd,)
    tags=$(core_suites | sed 's#^#/#' | paste -sd,)
    local with=${TEST_DB}_core_with without=${TEST_DB}_core_without
    local out=$BUILD/core-tests
    mkdir -p "$out"
    say "Odoo's own suites ($tags): databases from the cached template of $modules"
    local db
    for db in "$with" "$without"; do
        "$VENV/bin/click-odoo-dropdb" -c "$BUILD/odoo.cfg" --if-exists "$db"
        "$VENV/bin/click-odoo-initdb" -c "$BUILD/odoo.cfg" -n "$db" -m "$modules" \
            --cache-prefix crmcore --cache-max-age 30 --cache-max-size 2 --log-level warn
    done
    say "Installing $OUR_ADDONS in $with ($((SECONDS - t0)) s so far)"
    : >"$out/install.log"
    odoo_bin -d "$with" -i "$OUR_ADDONS" --stop-after-init --log-level=warn \
        --http-port "$TEST_HTTP_PORT" --max-cron-threads 0 --logfile "$out/install.log" \
        || die "installing our addons next to $modules failed (log: $out/install.log)"
    say "Running the suites in both databases at once ($((SECONDS - t0)) s so far)"
    # every test with the whole registry loaded (see scripts/run_core_suites.py)
    local pids=() port=$TEST_HTTP_PORT
    for db in "$with" "$without"; do
        port=$((port + 1))
        : >"$out/$db.log"
        "$VENV/bin/python" "$REPO/scripts/run_core_suites.py" -c "$BUILD/odoo.cfg" \
            -d "$db" --test-tags "$tags" --log-level=info --http-port "$port" \
            --max-cron-threads 0 --logfile "$out/$db.log" &
        pids+=($!)
    done
    local pid
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    say "Odoo's own suites with and without our addons ($((SECONDS - t0)) s):"
    "$VENV/bin/python" "$REPO/scripts/compare_core_tests.py" "$out/$with.log" "$out/$without.log" \
        || die "Odoo's own tests fail with our addons (logs: $out)"
    say "Odoo's own suites: nothing fails because of our addons ($((SECONDS - t0)) s)"
}

cmd_bench() {
    setup
    local size=${SIZE:-S}
    say "Benchmark size $size (templates crmbench_${size}_*, results in $BUILD/bench)"
    (cd "$REPO" && "$VENV/bin/python" -m tests.benchmarks --size "$size" \
        --config "$BUILD/odoo.cfg" --deps "$(dependencies)" --addons "$OUR_ADDONS" \
        --odoo-bin "$ODOO_SRC/odoo-bin" --out-dir "$BUILD/bench" ${BENCH_ARGS:-})
}

cmd_screenshots() {
    # every picture of docs/img, from the demo database of `make run`, through
    # headless Chromium (scripts/screenshots.py)
    setup
    require_chromium
    ensure_demo_db
    local port=${SCREENSHOT_PORT:-8079} log=$BUILD/screenshots-odoo.log pid
    say "Odoo on port $port for the screenshots (log: $log)"
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$BUILD/odoo.cfg" -d "$DEMO_DB" \
        --db-filter "^$DEMO_DB\$" --http-port "$port" --max-cron-threads 0 \
        --logfile "$log" &
    pid=$!
    local rc=0
    (cd "$REPO" && "$VENV/bin/python" scripts/screenshots.py --url "http://127.0.0.1:$port" \
        --db "$DEMO_DB" --out docs/img) || rc=$?
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    [ "$rc" = 0 ] || die "the screenshots failed (Odoo log: $log)"
    say "docs/img written"
}

case "${1:-}" in
setup) setup ;;
run) cmd_run ;;
test) cmd_test ;;
test-core) cmd_test_core ;;
test-server) cmd_test_server ;;
bench) cmd_bench ;;
screenshots) cmd_screenshots ;;
lint) cmd_lint ;;
*)
    echo "usage: $0 {setup|run|test|test-core|test-server|lint|bench|screenshots}" >&2
    exit 2
    ;;
esac
