import { registry } from "@web/core/registry";

// A pay-first dropship purchase order: it shows that it waits for its bill's payment; the
// supplier's actual shipping cost is reported through the wizard.
registry.category("web_tour.tours").add("marketplace_connector_dropship_tour", {
    steps: () => [
        {
            content: "The order waits for the payment of its bill",
            trigger: ".o_form_view .alert-warning:contains('Waiting for payment')",
        },
        {
            content: "The release is offered",
            trigger: ".o_form_view button[name='action_dropship_release']",
        },
        {
            content: "Report the supplier's actual shipping cost",
            trigger: ".o_form_view button[name='action_open_shipping_cost']",
            run: "click",
        },
        {
            content: "Type the cost",
            trigger: ".modal .o_field_widget[name='amount'] input",
            run: "edit 55",
        },
        {
            content: "Adjust the bill",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Reported once: the wizard closed and the button is gone",
            trigger:
                "body:not(:has(.modal)) .o_action_manager .o_form_view:not(:has(button[name='action_open_shipping_cost'])):has(button[name='action_dropship_release'])",
        },
    ],
});
