import { registry } from "@web/core/registry";

// On the customer card: block the customer with a reason, then add an e-commerce account.
registry.category("web_tour.tours").add("partner_credit_risk_card_tour", {
    steps: () => [
        {
            content: "Change the customer's status",
            trigger: ".o_form_view button[name='action_open_status_wizard']",
            run: "click",
        },
        {
            content: "Choose the new status",
            trigger: ".modal .o_field_widget[name='new_status'] select",
            run: 'select "PA"',
        },
        {
            content: "Say why",
            trigger: ".modal .o_field_widget[name='reason'] textarea",
            run: "edit Ödenmemiş faturalar",
        },
        {
            content: "Apply",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The card shows the new status",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='PA']",
        },
        {
            content: "Open the commercial data",
            trigger: ".o_notebook a.nav-link[name='master_commercial']",
            run: "click",
        },
        {
            content: "Add a financial account",
            trigger: ".o_field_widget[name='financial_account_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "An e-commerce customer account",
            trigger: ".modal .o_field_widget[name='account_type'] select",
            run: 'select "CSE"',
        },
        {
            content: "Save the account",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The account is listed",
            trigger: ".o_field_widget[name='financial_account_ids'] .o_data_row:contains('CSE')",
        },
        {
            content: "Save the card",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ],
});
