-- a neutralised copy (staging, support) never reaches GİB through an integrator:
-- test environment, no credentials, default test URLs, nothing sent automatically
UPDATE res_company
   SET l10n_tr_integrator_environment = 'test',
       l10n_tr_integrator_username = NULL,
       l10n_tr_integrator_password = NULL,
       l10n_tr_izibiz_auth_url = NULL,
       l10n_tr_izibiz_einvoice_url = NULL,
       l10n_tr_izibiz_earchive_url = NULL,
       l10n_tr_uyumsoft_url = NULL,
       l10n_tr_edoc_auto_send = false;
