/** @odoo-module **/
// Copyright 2026 CRM-in-ERP Project
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
// Browser tours of crm_relationship, run by tests/test_browser.py on data
// the Python test creates.

import {registry} from "@web/core/registry";

const tours = registry.category("web_tour.tours");

// Settings: the search finds our settings.
tours.add("crm_relationship_settings_search", {
    url: "/odoo/settings",
    steps: () => [
        {
            content: "search the settings for 'relationship'",
            trigger: ".o_searchview_input",
            run: "edit relationship",
        },
        {
            content: "the RFM window setting is shown",
            trigger: "#crm_relationship_rfm_window",
        },
        {
            content: "and the history setting",
            trigger: "#crm_relationship_history",
        },
    ],
});

// An administrator edits a stage rule with the domain editor, previews it
// and saves.
tours.add("crm_relationship_stage_rule", {
    url: "/odoo/action-crm_relationship.crm_relationship_stage_action",
    steps: () => [
        {
            content: "open the Tour stage",
            trigger: ".o_data_row .o_data_cell:contains('Tour stage')",
            run: "click",
        },
        {
            content: "the rule is shown in the domain editor",
            trigger: ".o_field_domain .o_tree_editor_condition",
        },
        {
            content: "open the domain editor",
            trigger: ".o_field_domain button:contains('Edit Domain')",
            run: "click",
        },
        {
            content: "set the churn risk threshold to 60",
            trigger: ".modal .o_tree_editor_editor input",
            run: "edit 60",
        },
        {
            content: "confirm the domain",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "the rule reads the new threshold",
            trigger: ".o_field_domain .o_tree_editor_condition:contains('60')",
        },
        {
            content: "preview the rule (saves the stage first)",
            trigger: "button[name=action_preview]",
            run: "click",
        },
        {
            content: "the preview lists the customers the rule takes",
            trigger: ".o_breadcrumb:contains('Rule preview')",
        },
        {
            content: "back to the stage",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Tour stage')",
            run: "click",
        },
        {
            content: "the new threshold is kept",
            trigger: ".o_field_domain .o_tree_editor_condition:contains('60')",
        },
    ],
});

// A salesperson opens a customer and reads its Relationship tab, drags its
// card on the lifecycle kanban (the stage is locked), then unlocks it.
tours.add("crm_relationship_customer", {
    url: "/odoo/action-crm_relationship.res_partner_action_relationship",
    steps: () => [
        {
            content: "the lifecycle kanban shows the tour customer",
            trigger: ".o_kanban_record:contains('Tour Customer')",
        },
        {
            content: "drag the customer to the Active column",
            trigger: ".o_kanban_record:contains('Tour Customer')",
            run: "drag_and_drop (.o_kanban_group:has(.o_column_title:contains('Active')))",
        },
        {
            content: "it is marked as set by hand",
            trigger:
                ".o_kanban_group:has(.o_column_title:contains('Active')) " +
                ".o_kanban_record:contains('Tour Customer'):contains('Set by hand')",
        },
        {
            content: "open the customer",
            trigger: ".o_kanban_record:contains('Tour Customer')",
            run: "click",
        },
        {
            content: "open the Relationship tab",
            trigger: ".o_notebook .nav-link:contains('Relationship')",
            run: "click",
        },
        {
            content: "the tab shows the values and the lock",
            trigger: ".o_notebook .tab-pane.active:contains('Set by hand')",
        },
        {
            content: "unlock the stage",
            trigger: "button[name=action_relationship_unlock]",
            run: "click",
        },
        {
            content: "the lock is gone",
            trigger: ".o_form_view:not(:has(button[name=action_relationship_unlock]:visible))",
        },
    ],
});

// A salesperson's manager hands a customer over with the wizard.
tours.add("crm_relationship_handover", {
    url: "/odoo/action-crm_relationship.res_partner_action_relationship",
    steps: () => [
        {
            content: "open the tour customer",
            trigger: ".o_kanban_record:contains('Tour Customer')",
            run: "click",
        },
        {
            content: "open the Relationship tab",
            trigger: ".o_notebook .nav-link:contains('Relationship')",
            run: "click",
        },
        {
            content: "start the handover",
            trigger: "button:contains('Hand over to another salesperson')",
            run: "click",
        },
        {
            content: "choose the new salesperson",
            trigger: ".modal .o_field_widget[name=new_user_id] input",
            run: "edit Tour Successor",
        },
        {
            content: "pick it",
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Successor')",
            run: "click",
        },
        {
            content: "the note lists what is open",
            trigger: ".modal .o_field_widget[name=note_preview]",
        },
        {
            content: "hand over",
            trigger: ".modal button[name=action_handover]",
            run: "click",
        },
        {
            content: "the dialog closes",
            trigger: "body:not(:has(.modal))",
        },
    ],
});

// A salesperson opens a quotation of a customer with an open complaint and
// a price another salesperson quoted differently: both banners show.
tours.add("crm_relationship_quotation_banners", {
    steps: () => [
        {
            content: "the complaint banner",
            trigger: ".alert-danger:contains('Open complaint since')",
        },
        {
            content: "the price-conflict banner",
            trigger: ".alert-warning:contains('quoted this customer a different price')",
        },
    ],
});
