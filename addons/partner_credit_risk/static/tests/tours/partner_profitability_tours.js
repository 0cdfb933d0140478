import { registry } from "@web/core/registry";

// Language-independent selectors only: button names, field names, view classes, data values.

// From the customer card: the Profitability tab, the smart button, the report in list, pivot
// and graph; then the period wizard of the menu with its own dates.
registry.category("web_tour.tours").add("partner_profitability_tour", {
    steps: () => [
        {
            content: "The Profitability tab shows this year's net profit",
            trigger: ".o_form_view .o_notebook a[name='profitability']",
            run: "click",
        },
        {
            content: "Net profit 50.00 (100.00 sales - 40.00 standard cost - 10.00 commission)",
            trigger: ".o_form_view .o_field_widget[name='profit_net']:contains('50.00')",
        },
        {
            content: "Open the report from the tab",
            trigger: ".o_form_view .o_notebook button[name='action_open_profitability']",
            run: "click",
        },
        {
            content: "The customer's row with its sales and net profit",
            trigger:
                ".o_list_view .o_data_row:has(td[name='partner_id']:contains('Tour Kârlılık A.Ş.')) td[name='net_profit']:contains('50.00')",
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

// The menu's period wizard: a period without documents gives no row for the customer.
registry.category("web_tour.tours").add("partner_profitability_wizard_tour", {
    steps: () => [
        {
            content: "Start date",
            trigger: ".modal .o_field_widget[name='date_from'] input",
            run: "edit 01/01/2001",
        },
        {
            content: "End date",
            trigger: ".modal .o_field_widget[name='date_to'] input",
            run: "edit 12/31/2001",
        },
        {
            content: "Show",
            trigger: ".modal button[name='action_compute']",
            run: "click",
        },
        {
            content: "The report is empty for that period",
            trigger: ".o_list_view:not(:has(.o_data_row))",
        },
    ],
});
