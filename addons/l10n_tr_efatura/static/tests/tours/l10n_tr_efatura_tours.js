import { registry } from "@web/core/registry";

// Post a draft customer invoice, check its e-document can be previewed, send it.
registry.category("web_tour.tours").add("l10n_tr_efatura_post_send_tour", {
    steps: () => [
        {
            content: "Confirm the draft invoice",
            trigger: ".o_form_view .o_form_statusbar button[name='action_post']",
            run: "click",
        },
        {
            content: "Posted: the GİB number is given and the e-document can be previewed",
            trigger: ".o_form_view .o_form_statusbar button[name='action_l10n_tr_preview_edocument']",
        },
        {
            content: "Send the e-document to the integrator",
            trigger: ".o_form_view .o_form_statusbar button[name='action_l10n_tr_send']",
            run: "click",
        },
        {
            content: "Sent: the status can now be refreshed from GİB",
            trigger: ".o_form_view .o_form_statusbar button[name='l10n_tr_refresh_status']",
        },
        {
            content: "No send button is left",
            trigger: ".o_form_view .o_form_statusbar:not(:has(button[name='action_l10n_tr_send']))",
        },
    ],
});
