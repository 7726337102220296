# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The engine's SQL, apart from the models: plain functions returning
``odoo.tools.SQL``, one module per subject (docs/architecture.md)."""
