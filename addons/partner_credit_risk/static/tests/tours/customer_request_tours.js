import { registry } from "@web/core/registry";

// Language-independent selectors only: button names, field names, view classes, data values.

// A salesperson records a service request in the backend and converts it into a quotation.
registry.category("web_tour.tours").add("partner_credit_risk_customer_request_tour", {
    steps: () => [
        {
            content: "The kanban shows every stage as a column, even empty ones",
            trigger: ".o_kanban_view .o_kanban_renderer > .o_kanban_group:nth-child(5)",
        },
        {
            content: "New request",
            trigger: ".o_control_panel_main_buttons .o-kanban-button-new",
            run: "click",
        },
        {
            content: "What the customer asks",
            trigger: ".o_form_view .o_field_widget[name='subject'] input",
            run: "edit Kombi yıllık bakımı",
        },
        {
            content: "A service request",
            trigger: ".o_form_view .o_field_widget[name='request_type'] select",
            run: `select "service"`,
        },
        {
            content: "The customer",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input",
            run: "edit Tour Talep",
        },
        {
            content: "Pick the customer",
            trigger: ".ui-autocomplete > li > a:contains('Tour Talep Ltd.')",
            run: "click",
        },
        {
            content: "Where the service takes place",
            trigger: ".o_form_view .o_field_widget[name='service_location'] input",
            run: "edit Kadıköy şubesi",
        },
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the tracking number is given",
            trigger: ".o_form_view .o_form_saved .o_field_widget[name='name']:contains('REQ/')",
        },
        {
            content: "Convert it",
            trigger: ".o_form_view .o_form_statusbar button[name='action_convert_open']",
            run: "click",
        },
        {
            content: "The quotation opens from the request (breadcrumb)",
            trigger: ".o_control_panel .o_breadcrumb .breadcrumb-item:contains('REQ/')",
        },
        {
            content: "A sale order that can be confirmed",
            trigger: ".o_form_view .o_form_statusbar button[name='action_confirm']",
        },
        {
            content: "It is a quotation",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='draft']",
        },
    ],
});
