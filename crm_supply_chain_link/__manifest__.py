# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Supply Chain Link",
    "summary": "Links sales orders to deliveries, returns and invoices and "
    "measures on-time, in-full, OTIF and fill rate per order and customer",
    "version": "18.0.1.6.0",
    "category": "Inventory/Inventory",
    "website": "https://github.com/crm-in-erp/crm-in-erp",
    "author": "CRM-in-ERP Project",
    "maintainers": ["crm-in-erp"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "installable": True,
    "depends": [
        "crm_relationship",
        "sale_stock",
        "sale_margin",
        "spreadsheet_dashboard",
    ],
    "data": [
        "security/crm_supply_chain_link_security.xml",
        "security/ir.model.access.csv",
        "data/crm_relationship_stage_data.xml",
        "data/crm_cost_driver_data.xml",
        "data/ir_cron_data.xml",
        "data/spreadsheet_dashboard_data.xml",
        "views/crm_sla_policy_views.xml",
        "views/crm_service_level_report_views.xml",
        "views/crm_profitability_views.xml",
        "views/crm_relationship_snapshot_views.xml",
        "views/sale_order_views.xml",
        "views/crm_customer_request_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_supply_chain_link_menus.xml",
    ],
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "assets": {
        "web.assets_tests": ["crm_supply_chain_link/static/tests/tours/*.js"],
    },
    "demo": ["demo/crm_supply_chain_link_demo.xml"],
}
