import { registry } from "@web/core/registry";

// Language-independent selectors only: button names, field names, view classes, data values.

// A salesperson's order for a customer over the limit: confirming it puts it on credit hold and
// the form shows the figures of the check.
registry.category("web_tour.tours").add("partner_credit_risk_hold_tour", {
    steps: () => [
        {
            content: "Confirm the quotation",
            trigger: ".o_form_view .o_form_statusbar button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The order is on credit hold",
            trigger: ".o_form_view .o_credit_hold_banner .o_field_widget[name='credit_hold_stage']",
        },
        {
            content: "The figures of the check: 1 200 ordered, open credit 100, exceeded by 1 100",
            trigger:
                ".o_form_view .o_credit_check_figures .o_field_widget[name='credit_check_message']:contains('1,100.00')",
        },
        {
            content: "Still a quotation",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='draft']",
        },
    ],
});

// A credit manager releases the held order with a reason: it is confirmed.
registry.category("web_tour.tours").add("partner_credit_risk_release_tour", {
    steps: () => [
        {
            content: "Open the release dialog",
            trigger: ".o_form_view .o_form_statusbar button[name='action_open_credit_release_wizard']",
            run: "click",
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit Teminat mektubu alındı",
        },
        {
            content: "Release",
            trigger: ".modal button[name='action_release']",
            run: "click",
        },
        {
            content: "The order is confirmed",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='sale']",
        },
        {
            content: "No credit hold any more",
            trigger: ".o_form_view:not(:has(.o_credit_hold_banner:visible))",
        },
    ],
});

// The Customer Risk report opens in list, pivot and graph.
registry.category("web_tour.tours").add("partner_credit_risk_report_tour", {
    steps: () => [
        {
            content: "The customer over its limit is listed",
            trigger: ".o_list_view .o_data_row.text-danger td[name='partner_id']:contains('Tour Over Limit Ltd.')",
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_control_panel .o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot is shown",
            trigger: ".o_pivot_view .o_pivot table",
        },
        {
            content: "Switch to the graph",
            trigger: ".o_control_panel .o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph is shown",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
    ],
});
