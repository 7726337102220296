# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The benchmark of the two addons: ``make bench SIZE=S|M|L`` runs
``python -m tests.benchmarks`` (cli.py: the command line; harness.py: database
copies, timers, statistics; baselines.py: the baselines' SQL; one
scenario_*.py module per scenario; report.py: the markdown writer; datagen.py:
the generated history)."""
