# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Supply Chain Link",
    "summary": "Links sales orders to deliveries, returns and invoices and "
    "measures on-time, in-full, OTIF and fill rate per order and customer",
    "version": "18.0.1.0.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/crm-in-erp/crm-in-erp",
    "author": "CRM-in-ERP Project",
    "maintainers": ["crm-in-erp"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": ["crm_relationship", "sale_stock"],
    "data": [],
    "demo": [],
}
