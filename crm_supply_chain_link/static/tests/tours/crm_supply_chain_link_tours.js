/** @odoo-module **/
// Copyright 2026 CRM-in-ERP Project
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// Browser tours of crm_supply_chain_link, run by tests/test_browser.py.

import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

const tours = registry.category("web_tour.tours");

// Settings: the search finds the service-level settings.
tours.add("crm_supply_chain_link_settings_search", {
    url: "/odoo/settings",
    steps: () => [
        {
            content: "search the settings for 'service level'",
            trigger: ".o_searchview_input",
            run: "edit service level",
        },
        {
            content: "the service window setting is shown",
            trigger: "#crm_service_window",
        },
    ],
});

// A logistics user opens the service-level report, groups it by customer and
// due week, then opens the late and overdue orders.
tours.add("crm_supply_chain_link_service_report", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "open Inventory",
            trigger: ".o_app[data-menu-xmlid='stock.menu_stock_root']",
            run: "click",
        },
        {
            content: "open the Service Levels menu",
            trigger: ".o_menu_sections button:contains('Service Levels')",
            run: "click",
        },
        {
            content: "open the customer service level report",
            trigger: ".o-dropdown-item:contains('Customer Service Level')",
            run: "click",
        },
        {
            content: "the report is shown",
            trigger: ".o_action_manager .o_view_controller",
        },
        {
            content: "open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "group by customer",
            trigger: ".o_group_by_menu .o_menu_item:contains('Customer')",
            run: "click",
        },
        {
            content: "open the due week grouping",
            trigger: ".o_group_by_menu .o_accordion_toggle:contains('Due week')",
            run: "click",
        },
        {
            content: "by week",
            trigger: ".o_group_by_menu .o_item_option:contains('Week')",
            run: "click",
        },
        {
            content: "both groupings are applied",
            trigger: ".o_searchview_facet:contains('Customer'):contains('Due week')",
        },
        {
            content: "the late customer is a row",
            trigger: ".o_pivot .o_pivot_header_cell_closed:contains('Tour Late Customer'), .o_pivot th:contains('Tour Late Customer')",
        },
        {
            content: "open the Service Levels menu again",
            trigger: ".o_menu_sections button:contains('Service Levels')",
            run: "click",
        },
        {
            content: "open the late and overdue orders",
            trigger: ".o-dropdown-item:contains('Late and Overdue Orders')",
            run: "click",
        },
        {
            content: "the late order of the test is listed",
            trigger: ".o_list_view .o_data_row:contains('Tour Late Customer')",
        },
    ],
});

// A manager opens both spreadsheet dashboards.
tours.add("crm_supply_chain_link_dashboards", {
    url: "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
    steps: () => [
        {
            content: "open the service-level dashboard",
            trigger: ".o_search_panel_category_value[data-name='Customer Service Levels']",
            run: "click",
        },
        {
            content: "its figures are drawn",
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet .o-figure",
        },
        {
            content: "nothing failed to load",
            trigger: ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status))",
        },
        {
            content: "open the profitability dashboard",
            trigger: ".o_search_panel_category_value[data-name='Customer Profitability']",
            run: "click",
        },
        {
            content: "it is the active one",
            trigger: ".o_search_panel_category_value.active[data-name='Customer Profitability']",
        },
        {
            content: "its figures are drawn",
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet .o-figure",
        },
        {
            content: "nothing failed to load",
            trigger: ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status))",
        },
    ],
});
