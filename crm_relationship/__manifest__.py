# Copyright 2026 CRM-in-ERP Project
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM Relationship Lifecycle",
    "summary": "Customer lifecycle stages driven by rules, RFM, churn risk, "
    "lifetime value and Pareto tiers computed from sales",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/crm-in-erp/crm-in-erp",
    "author": "CRM-in-ERP Project",
    "maintainers": ["crm-in-erp"],
    "license": "LGPL-3",
    "development_status": "Alpha",
    "application": False,
    "installable": True,
    "depends": ["sale", "mail"],
    "data": [
        "security/crm_relationship_security.xml",
        "security/ir.model.access.csv",
        "data/crm_relationship_stage_data.xml",
        "data/ir_cron_data.xml",
        "views/crm_relationship_stage_views.xml",
        "views/crm_relationship_stage_history_views.xml",
        "views/crm_relationship_metrics_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/crm_relationship_menus.xml",
    ],
    "demo": ["demo/crm_relationship_demo.xml"],
}
