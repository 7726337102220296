# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Repository-level tests run by pytest with pytest-odoo against the test
database that `make test` built (both addons installed)."""
