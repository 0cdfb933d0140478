"""Whole e-document transport flow against the fake İzibiz (real zeep over 127.0.0.1)."""

from datetime import date, timedelta
from unittest.mock import patch

import psycopg2

from odoo import Command, fields
from odoo.addons.base.tests.common import new_test_user
from odoo.addons.l10n_tr_efatura.tests.transport_common import (
    BUYER_PK,
    BUYER_VKN,
    IzibizTransportCase,
)
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestTransport(IzibizTransportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.purchase_kdv20 = cls.env["account.tax"].search(
            [
                *cls.env["account.tax"]._check_company_domain(cls.company),
                ("type_tax_use", "=", "purchase"),
                ("amount", "=", 20),
                ("amount_type", "=", "percent"),
                ("price_include", "=", False),
            ],
            limit=1,
        )

    # ------------------------------------------------------------------ helpers

    def _states(self, move):
        return move.message_ids.filtered(lambda m: "e-Document state" in (m.body or ""))

    # ------------------------------------------------------------------ outgoing

    def test_efatura_post_send_status_delivered(self):
        move = self._invoice(self.buyer)
        self.assertEqual(move.l10n_tr_edoc_state, "to_send")
        self.assertEqual(move.l10n_tr_efatura_profile, "TEMELFATURA")
        result = move.l10n_tr_send()
        self.assertEqual(result[0]["state"], "sent", result)
        self.assertEqual(result[0]["gib_number"], move.l10n_tr_gib_number)
        stored = self.fake.document(move.l10n_tr_ettn)
        self.assertEqual(stored["receiver"], {"vkn": BUYER_VKN, "alias": BUYER_PK})
        self.assertEqual(stored["id"], move.l10n_tr_gib_number)
        self.assertEqual(move.l10n_tr_edoc_send_attempts, 1)
        self.assertTrue(move.is_move_sent)
        states = [move.l10n_tr_refresh_status()[0]["state"] for _i in range(3)]
        self.assertEqual(states, ["processing", "accepted", "delivered"])
        self.assertTrue(move.l10n_tr_edoc_final)
        self.assertEqual(move.l10n_tr_edoc_raw_code, "110/1300")
        self.assertEqual(len(self._states(move)), 4)  # to_send→sent→processing→accepted→delivered
        logs = self.env["l10n_tr.edoc.log"].search([("move_id", "=", move.id)])
        self.assertEqual(logs.filtered(lambda entry: entry.operation == "SendInvoice").result, "ok")
        self.assertNotIn(
            self.integrator.PASSWORD,
            "".join(
                self.env["l10n_tr.edoc.log"].search([("operation", "=", "Login")]).mapped("payload")
            ),
        )
        # polling stops once final
        self.env["account.move"]._cron_l10n_tr_refresh_status()
        self.assertEqual(len(self.fake.calls("GetInvoiceStatus")), 3)

    def test_export_invoice_goes_to_the_customs_mailbox(self):
        move = self._export_invoice()
        result = move.l10n_tr_send()[0]
        self.assertEqual(result["state"], "sent", result)
        stored = self.fake.document(move.l10n_tr_ettn)
        # GİB's customs mailbox (GTB) receives it, not the foreign buyer's VAT number
        self.assertEqual(
            stored["receiver"], {"vkn": "1460415308", "alias": "urn:mail:ihracatpk@gtb.gov.tr"}
        )
        self.assertEqual(stored["profile"], "IHRACAT")
        self.assertFalse(self.fake.calls("CheckUser"), "no registered-user lookup for GTB")

    def test_send_and_print_wizard_option(self):
        move = self._invoice(self.buyer)
        wizard = (
            self.env["account.move.send.wizard"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({})
        )
        self.assertIn("l10n_tr_efatura", wizard.extra_edis)
        self.assertTrue(wizard.extra_edi_checkboxes["l10n_tr_efatura"]["checked"])
        wizard.sending_methods = []
        wizard.action_send_and_print()
        self.assertEqual(move.l10n_tr_edoc_state, "sent")
        self.assertEqual(len(self.fake.outbox), 1)

    def test_earchive_internet_sale(self):
        move = self._invoice(
            self.consumer,
            l10n_tr_is_internet_sale=True,
            l10n_tr_sale_website="https://magaza.example.com.tr",
            l10n_tr_payment_method="KREDIKARTI/BANKAKARTI",
            l10n_tr_payment_agent="iyzico",
            l10n_tr_payment_date=date(2026, 3, 2),
            l10n_tr_carrier_vat="3880121474",
            l10n_tr_carrier_name="Aras Kargo",
            l10n_tr_shipment_date=date(2026, 3, 3),
        )
        self.assertEqual(move.l10n_tr_efatura_profile, "EARSIVFATURA")
        result = move.l10n_tr_send()[0]
        self.assertEqual(result["state"], "sent", result)
        stored = self.fake.document(move.l10n_tr_ettn)
        self.assertEqual(stored["kind"], "earchive")
        self.assertEqual(stored["earsiv"]["EARSIV_TYPE"], "INTERNET")
        # the buyer gets the PDF from Odoo, not a second e-mail from the integrator
        self.assertEqual(stored["earsiv"]["EARSIV_EMAIL_FLAG"], "N")
        self.assertEqual(
            [move.l10n_tr_refresh_status()[0]["state"] for _i in range(3)],
            ["processing", "accepted", "accepted"],
        )
        self.assertTrue(move.l10n_tr_edoc_final)

    def test_pdf_failure_after_sending_keeps_the_sent_state(self):
        move = self._invoice(self.consumer)
        send = type(self.env["account.move.send"])
        with (
            patch.object(
                send,
                "_generate_and_send_invoices",
                side_effect=UserError("Unable to find Wkhtmltopdf on this system."),
            ),
            mute_logger("odoo.addons.l10n_tr_efatura.models.account_move_send_transport"),
        ):
            result = move.l10n_tr_send()[0]
        self.assertEqual(result["state"], "sent")
        self.assertEqual(move.l10n_tr_edoc_state, "sent")
        self.assertEqual(len(self.fake.calls("WriteToArchieveExtended")), 1)
        self.assertIn("Wkhtmltopdf", move.message_ids[0].body)
        self.assertEqual(move.activity_ids.summary, "Send the invoice PDF")
        # nothing is sent again: the retry path only asks for the PDF
        self.assertEqual(move.l10n_tr_send()[0]["state"], "sent")
        self.assertEqual(len(self.fake.calls("WriteToArchieveExtended")), 1)

    def _without_sender_address(self):
        """Neither the user nor the company has an e-mail address: mail refuses to post."""
        self.env.user.partner_id.email = False
        self.company.partner_id.email = False
        self.env.invalidate_all()

    def test_mail_without_sender_after_sending_keeps_the_sent_state(self):
        move = self._invoice(self.consumer)  # e-Arşiv, e-mailed to the buyer
        self.assertTrue(move._l10n_tr_emails_pdf())
        self._without_sender_address()
        with (
            self._capture_mails(),
            mute_logger(
                "odoo.addons.l10n_tr_efatura.models.account_move_send_transport",
                "odoo.addons.mail.models.mail_mail",
            ),
        ):
            result = move.l10n_tr_send()[0]
        self.assertEqual(result["state"], "sent")
        self.assertEqual(move.l10n_tr_edoc_state, "sent")
        self.assertTrue(move.is_move_sent)
        self.assertTrue(move.message_ids.filtered(lambda m: "e-Document state" in m.body))
        self.assertEqual(len(self.fake.calls("WriteToArchieveExtended")), 1)

    def test_send_and_print_mail_without_sender_keeps_the_sent_state(self):
        move = self._invoice(self.consumer)
        self._without_sender_address()
        with (
            self._capture_mails(),
            mute_logger(
                "odoo.addons.l10n_tr_efatura.models.account_move_send_transport",
                "odoo.addons.mail.models.mail_mail",
            ),
        ):
            wizard = (
                self.env["account.move.send.wizard"]
                .with_context(active_model="account.move", active_ids=move.ids)
                .create({})
            )
            self.assertIn("email", wizard.sending_methods)
            wizard.action_send_and_print()
        self.assertEqual(move.l10n_tr_edoc_state, "sent")
        self.assertTrue(move.is_move_sent)
        self.assertEqual(len(self.fake.calls("WriteToArchieveExtended")), 1)

    def test_send_and_print_mail_failure_is_a_todo_not_a_rollback(self):
        move = self._invoice(self.consumer)
        send = type(self.env["account.move.send"])
        with (
            self._capture_mails(),
            patch.object(send, "_send_mails", side_effect=UserError("Unable to send message")),
            mute_logger("odoo.addons.l10n_tr_efatura.models.account_move_send_transport"),
        ):
            wizard = (
                self.env["account.move.send.wizard"]
                .with_context(active_model="account.move", active_ids=move.ids)
                .create({})
            )
            wizard.action_send_and_print()
        self.assertEqual(move.l10n_tr_edoc_state, "sent")
        self.assertEqual(move.activity_ids.summary, "Send the invoice PDF")
        self.assertIn("Unable to send message", move.activity_ids.note)

    def test_auto_send_cron_emails_earchive_pdf(self):
        self.company.l10n_tr_edoc_auto_send = True
        move = self._invoice(self.consumer)
        self.env["account.move"]._cron_l10n_tr_auto_send()
        self.assertEqual(move.l10n_tr_edoc_state, "sent")
        self.assertEqual(len(self.fake.calls("WriteToArchieveExtended")), 1)
        mail = move.message_ids.filtered(
            lambda m: m.message_type == "comment" and self.consumer in m.partner_ids
        )
        self.assertTrue(mail, "the e-Arşiv invoice is e-mailed to the buyer")
        self.assertTrue(mail.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf"))
        self.env["account.move"]._cron_l10n_tr_auto_send()
        self.assertEqual(len(self.fake.calls("WriteToArchieveExtended")), 1)

    def test_send_and_print_emails_one_pdf(self):
        move = self._invoice(self.consumer)
        self.env["account.move.send"]._generate_and_send_invoices(move, sending_methods={"email"})
        self.assertEqual(move.l10n_tr_edoc_state, "sent")
        mail = move.message_ids.filtered(lambda m: self.consumer in m.partner_ids)
        self.assertEqual(len(mail), 1)
        # the GİB-layout PDF and the UBL; not a second PDF of Odoo's invoice report
        self.assertEqual(
            sorted(mail.attachment_ids.mapped("name")),
            sorted([move.invoice_pdf_report_id.name, move.l10n_tr_edoc_xml_id.name]),
        )

    def test_auto_send_in_batches_exactly_once(self):
        self.company.write({"l10n_tr_edoc_auto_send": True, "l10n_tr_edoc_batch_size": 2})
        efatura = self.env["account.move"].union(*[self._invoice(self.buyer) for _i in range(5)])
        earchive = self.env["account.move"].union(
            *[self._invoice(self.consumer) for _i in range(3)]
        )
        with self._capture_mails():
            self.env["account.move"]._cron_l10n_tr_auto_send()
        self.assertEqual(set((efatura | earchive).mapped("l10n_tr_edoc_state")), {"sent"})
        # ⌈5/2⌉ e-Fatura requests to the buyer's mailbox, ⌈3/2⌉ e-Arşiv requests
        self.assertEqual(self.fake.documents_per_call("SendInvoice"), [2, 2, 1])
        self.assertEqual(self.fake.documents_per_call("WriteToArchieveExtended"), [2, 1])
        self.assertEqual(len(self.fake.outbox), 8)
        self.assertEqual((efatura | earchive).mapped("l10n_tr_edoc_send_attempts"), [1] * 8)
        batch_logs = self.env["l10n_tr.edoc.log"].search(
            [("operation", "=", "SendInvoice")], order="id"
        )
        self.assertEqual(
            batch_logs.mapped("documents"),
            [
                ", ".join(efatura[:2].mapped("l10n_tr_gib_number")),
                ", ".join(efatura[2:4].mapped("l10n_tr_gib_number")),
                efatura[4].l10n_tr_gib_number,
            ],
        )
        self.assertEqual(batch_logs.move_id, efatura[4])  # a batch row names no single invoice
        # every e-Arşiv invoice (electronic delivery) is e-mailed with its PDF to the buyer
        buyers = self.consumer | self.buyer
        to_buyers = self._new_mails.filtered(lambda m: m.recipient_ids & buyers)
        self.assertEqual(sorted(to_buyers.mapped("res_id")), earchive.ids)
        self.assertEqual(to_buyers.recipient_ids & buyers, self.consumer)
        self.assertTrue(
            all(
                m.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf")
                for m in to_buyers
            )
        )
        # a rerun sends nothing twice
        self.env["account.move"]._cron_l10n_tr_auto_send()
        self.assertEqual(len(self.fake.calls("SendInvoice")), 3)
        self.assertEqual(len(self.fake.calls("WriteToArchieveExtended")), 2)

    def test_auto_send_batch_with_bad_document_and_lost_answer(self):
        self.company.write({"l10n_tr_edoc_auto_send": True, "l10n_tr_edoc_batch_size": 3})
        moves = self.env["account.move"].union(*[self._invoice(self.buyer) for _i in range(3)])
        # the request is refused for one document: the others are sent one by one
        self.fake.add_fault("SendInvoice", "schematron", message="InvoiceIDCheck-1")
        self.fake.add_fault("SendInvoice", "schematron", message="InvoiceIDCheck-1")
        self.env["account.move"]._cron_l10n_tr_auto_send()
        self.assertEqual(moves.mapped("l10n_tr_edoc_state"), ["error", "sent", "sent"])
        self.assertEqual(moves[0].l10n_tr_edoc_raw_code, "10003")
        self.assertEqual(self.fake.documents_per_call("SendInvoice"), [3, 1, 1, 1])
        # the answer of the next batch is lost after the integrator took it: status, no resend
        more = self.env["account.move"].union(*[self._invoice(self.buyer) for _i in range(2)])
        self.fake.add_fault("SendInvoice", "lost_response")
        self.env["account.move"]._cron_l10n_tr_auto_send()
        self.assertEqual(more.mapped("l10n_tr_edoc_state"), ["processing", "processing"])
        self.assertEqual(self.fake.documents_per_call("SendInvoice"), [3, 1, 1, 1, 2])
        # the invoice in error is retried from the invoice: asks first, then sends it
        self.assertEqual(moves[0].l10n_tr_send()[0]["state"], "sent")
        self.assertEqual(len(self.fake.outbox), 5)

    def test_call_log_survives_caller_rollback(self):
        move = self._invoice(self.buyer)
        if not self.registry.in_test_mode():
            # registry.cursor() then gives TestCursors on the test's transaction
            self.registry.enter_test_mode(self.cr)
            self.addCleanup(self.registry.leave_test_mode)
        self.env.flush_all()
        crash = patch.object(
            type(self.env["account.move"]),
            "_l10n_tr_apply_send_result",
            side_effect=RuntimeError("crash after the integrator answered"),
        )
        with crash, self.assertRaisesRegex(RuntimeError, "crash"), self.registry.cursor() as cr:
            self.env(cr=cr)["account.move"].browse(move.id).l10n_tr_send()
        self.env.invalidate_all()
        # the caller's transaction is gone ...
        self.assertEqual((move.l10n_tr_edoc_state, move.l10n_tr_edoc_send_attempts), ("to_send", 0))
        # ... its integrator calls are still logged
        logs = self.env["l10n_tr.edoc.log"].search([("move_id", "=", move.id)])
        self.assertEqual(logs.mapped("operation"), ["SendInvoice", "Login"])
        self.assertEqual(logs.mapped("result"), ["ok", "ok"])
        self.assertEqual(logs[0].documents, move.l10n_tr_gib_number)
        # the document did reach the integrator: sending again is answered as a duplicate,
        # and the integrator holds this very ETTN: its status is taken over
        self.assertEqual(move.l10n_tr_send()[0]["state"], "processing")
        self.assertTrue(
            any("already holds this document" in message.body for message in move.message_ids[:2])
        )
        self.assertEqual(len(self.fake.outbox), 1)

    def test_retry_after_timeout_sends_nothing_twice(self):
        self.company.l10n_tr_integrator_timeout = 10  # the shortest Odoo's test base allows
        move = self._invoice(self.buyer)
        # the integrator accepts the document but answers after the client gave up (10 s)
        self.fake.add_fault("SendInvoice", "timeout", delay=11.5)
        result = move.l10n_tr_send()[0]
        self.assertEqual(result["state"], "processing", result)  # resolved by a status query
        move.l10n_tr_send()
        self.assertEqual(len(self.fake.calls("SendInvoice")), 1)
        self.assertEqual(len(self.fake.outbox), 1)

    def test_lost_response_before_processing_then_retry(self):
        move = self._invoice(self.buyer)
        self.fake.add_fault("SendInvoice", "lost_response")
        self.fake.add_fault("GetInvoiceStatus", "http_error", status=503)
        result = move.l10n_tr_send()[0]
        # the integrator may hold it: outcome unknown, never an error
        self.assertEqual((result["state"], result["code"]), ("unknown", "LOST"))
        self.assertEqual(len(self.fake.outbox), 1)
        # retry from the list action: asks first, finds it, sends nothing
        self.env.ref("l10n_tr_efatura.action_server_l10n_tr_send").with_context(
            active_model="account.move", active_ids=move.ids
        ).run()
        self.assertEqual(move.l10n_tr_edoc_state, "processing")
        self.assertEqual(len(self.fake.calls("SendInvoice")), 1)

    def test_retry_of_a_held_invoice_clears_the_old_error_code(self):
        """An invoice left in error with the integrator's "duplicate" code (10009) while the
        integrator holds it: the retry ends in the integrator's state, without the old code."""
        move = self._invoice(self.buyer)
        self.assertEqual(move.l10n_tr_send()[0]["state"], "sent")
        for attempts in (1, 0):  # asked first (earlier attempt) / answered as a duplicate
            move.write(
                {
                    "l10n_tr_edoc_state": "error",
                    "l10n_tr_edoc_raw_code": "10009",
                    "l10n_tr_edoc_raw_message": "Gönderilen belge daha önce gönderilmiş",
                    "l10n_tr_edoc_send_attempts": attempts,
                }
            )
            result = move.l10n_tr_send()[0]
            self.assertNotIn(result["state"], ("error", "unknown", "to_send"), result)
            self.assertNotEqual(move.l10n_tr_edoc_raw_code, "10009")
            self.assertNotIn("daha önce", move.l10n_tr_edoc_raw_message)
        self.assertEqual(len(self.fake.outbox), 1)

    def test_duplicate_answer_for_another_document_is_an_error(self):
        """ "Duplicate" while the integrator does not hold our ETTN: the number is another
        document's there, so nothing counts as sent."""
        move = self._invoice(self.buyer)
        self.fake.add_fault("SendInvoice", "duplicate")
        result = move.l10n_tr_send()[0]
        self.assertEqual((result["state"], result["code"]), ("error", "DUPLICATE_ELSEWHERE"))
        self.assertIn(
            f"does not hold this invoice (ETTN {move.l10n_tr_ettn})", move.l10n_tr_edoc_raw_message
        )
        self.assertFalse(move.is_move_sent)
        self.assertEqual(len(self.fake.outbox), 0)
        self.assertEqual(len(self.fake.calls("GetInvoiceStatus")), 1)
        # the clash is gone: the next attempt asks first, then sends it once
        self.assertEqual(move.l10n_tr_send()[0]["state"], "sent")
        self.assertEqual(len(self.fake.outbox), 1)

    def test_rejection_keeps_error_then_retry(self):
        move = self._invoice(self.buyer)
        self.fake.add_fault("SendInvoice", "schematron", message="InvoiceIDCheck-1")
        result = move.l10n_tr_send()[0]
        self.assertEqual((result["state"], result["code"]), ("error", "10003"))
        self.assertIn("InvoiceIDCheck-1", move.l10n_tr_edoc_raw_message)
        self.fake.add_fault("SendInvoice", "schematron", message="InvoiceIDCheck-1")
        action = move.action_l10n_tr_send()  # the form button shows the error, keeps it
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("InvoiceIDCheck-1", action["params"]["message"])
        self.assertEqual(move.l10n_tr_send()[0]["state"], "sent")
        self.assertEqual(len(self.fake.outbox), 1)
        self.assertEqual(move.l10n_tr_edoc_send_attempts, 3)

    def test_wrong_credentials(self):
        self.company.l10n_tr_integrator_password = "wrong"
        move = self._invoice(self.buyer)
        result = move.l10n_tr_send()[0]
        self.assertEqual((result["state"], result["code"]), ("error", "10002"))
        self.assertFalse(self.fake.outbox)

    # ------------------------------------------------------------------ cancellation

    def test_cancel_earchive_and_efatura_instructions(self):
        earchive = self._invoice(self.consumer)
        earchive.l10n_tr_send()
        result = earchive.l10n_tr_cancel_edocument("Müşteri vazgeçti")
        self.assertEqual(result["state"], "cancelled")
        self.assertEqual(earchive.state, "cancel")
        self.assertEqual(self.fake.document(earchive.l10n_tr_ettn)["cancelled"], "Müşteri vazgeçti")
        efatura = self._invoice(self.buyer)
        efatura.l10n_tr_send()
        with self.assertRaisesRegex(UserError, "İptal/İtiraz"):
            efatura.l10n_tr_cancel_edocument()
        self.assertEqual(efatura.l10n_tr_edoc_state, "sent")

    # ------------------------------------------------------------------ partners

    def test_registered_user_lookup_is_cached(self):
        partner = self.env["res.partner"].create(
            {"name": "Yeni Müşteri", "vat": BUYER_VKN, "country_id": self.env.ref("base.tr").id}
        )
        result = partner.l10n_tr_check_efatura_user()[0]
        self.assertEqual(
            (result["registered"], result["alias"], result["cached"]), (True, BUYER_PK, False)
        )
        self.assertTrue(partner.l10n_tr_is_efatura_user)
        self.assertTrue(partner.l10n_tr_check_efatura_user()[0]["cached"])
        self.assertEqual(len(self.fake.calls("CheckUser")), 1)
        unknown = self.env["res.partner"].create(
            {"name": "Küçük Esnaf", "vat": "4567891233", "country_id": self.env.ref("base.tr").id}
        )
        self.assertFalse(unknown.l10n_tr_check_efatura_user()[0]["registered"])
        self._invoice(unknown, post=False)
        unknown.l10n_tr_efatura_checked_at = fields.Datetime.now() - timedelta(days=2)
        self.env["res.partner"]._cron_l10n_tr_refresh_efatura_users()
        self.assertEqual(len(self.fake.calls("CheckUser")), 3)

    # ------------------------------------------------------------------ incoming

    def test_inbox_creates_vendor_bills_once(self):
        bill = self._fetch_incoming_bills()
        self.assertEqual(bill.invoice_line_ids.mapped("name"), ["Kağıt A4", "Toner"])
        self.assertEqual(bill.invoice_line_ids.tax_ids, self.purchase_kdv20)
        self.assertAlmostEqual(bill.amount_untaxed, 800.0)
        self.assertTrue(all(d["read"] for d in self.fake.inbox))
        # the integrator shows one again (never marked on its side): not imported twice
        self.fake.inbox[0]["read"] = False
        again = self.env["account.move"].l10n_tr_fetch_inbox(self.company.id)
        self.assertEqual((again["created"], again["skipped"]), ([], 1))
        with (
            self.assertRaises(psycopg2.IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            bill.copy({"l10n_tr_incoming_ettn": bill.l10n_tr_incoming_ettn})

    def test_commercial_invoice_accept_reject(self):
        self._incoming("TED2026000000011", profile="TICARIFATURA")
        self._incoming("TED2026000000012", profile="TICARIFATURA")
        self._incoming("TED2026000000013")
        created = self.env["account.move"].l10n_tr_fetch_inbox(self.company.id)["created"]
        rejected, accepted, basic = self.env["account.move"].browse(created)
        self.assertTrue(rejected.l10n_tr_can_respond)
        self.assertFalse(basic.l10n_tr_can_respond)
        activity = rejected.activity_ids
        self.assertEqual(len(activity), 1)
        deadline = rejected.l10n_tr_response_deadline.date()
        self.assertLess(activity.date_deadline, deadline)
        wizard = self.env["l10n_tr.edoc.reject.wizard"].create(
            {"move_ids": [Command.set(rejected.ids)], "reason": "Fiyat farkı"}
        )
        wizard.action_reject()
        self.assertEqual(rejected.l10n_tr_edoc_response, "RED")
        self.assertFalse(rejected.activity_ids)
        self.assertEqual(self.fake.responses[0]["status"], "RED")
        self.assertEqual(self.fake.responses[0]["description"], "Fiyat farkı")
        with self.assertRaises(UserError):
            rejected.l10n_tr_accept()
        self.assertEqual(accepted.l10n_tr_accept()[0]["response"], "KABUL")
        with self.assertRaises(UserError):
            basic.l10n_tr_reject("x")
        with self.assertRaises(UserError):
            accepted.l10n_tr_reject("")
        self.assertEqual(len(self.fake.responses), 2)

    def test_answer_todo_goes_to_the_responsible_and_reject_asks_first(self):
        accountant = new_test_user(
            self.env,
            login="tr_incoming_accountant",
            groups="base.group_user,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.env["res.config.settings"].create(
            {"company_id": self.company.id, "l10n_tr_incoming_user_id": accountant.id}
        ).execute()
        self.assertEqual(self.company.l10n_tr_incoming_user_id, accountant)
        self._incoming("TED2026000000031", profile="TICARIFATURA")
        # the Fetch now button of the lists: the counts of what came in
        action = self.env["l10n_tr.incoming.document"].action_fetch_now()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("1 vendor bills created", action["params"]["message"])
        bill = self.env["account.move"].search(
            [
                ("company_id", "=", self.company.id),
                ("l10n_tr_incoming_number", "=", "TED2026000000031"),
            ]
        )
        self.assertEqual(bill.activity_ids.user_id, accountant)
        # without a responsible: never OdooBot
        self.company.l10n_tr_incoming_user_id = False
        self.assertNotEqual(
            bill.with_user(self.env.ref("base.user_root"))._l10n_tr_incoming_responsible(),
            self.env.ref("base.user_root"),
        )
        # the rejection wizard asks before answering GİB
        arch = self.env["l10n_tr.edoc.reject.wizard"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertIn('confirm="', arch.split('name="action_reject"')[1].split(">")[0])

    def test_gib_findings_stay_visible_after_sending(self):
        """The findings of the build (e.g. GİB arithmetic warnings) stay on the invoice, in
        the form's alert, once the document left."""
        move = self._invoice(self.buyer)
        move.l10n_tr_build_edocument()
        move.l10n_tr_edoc_messages = "LineExtensionAmount 0.01 off"  # as the checker words it
        move.l10n_tr_send()
        move.l10n_tr_refresh_status()
        self.assertIn(move.l10n_tr_edoc_state, ("processing", "accepted"))
        self.assertEqual(move.l10n_tr_edoc_messages, "LineExtensionAmount 0.01 off")
        arch = self.env["account.move"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('invisible="not l10n_tr_edoc_messages"', arch)

    def test_print_gives_the_gib_layout(self):
        move = self._invoice(self.consumer)
        self.assertTrue(move.l10n_tr_gib_number)
        action = move.with_context(discard_logo_check=True).action_print_pdf()
        self.assertEqual(action["report_name"], "l10n_tr_efatura.report_l10n_tr_edocument")
        # one Send path: the e-document's while it is to send, the mail one afterwards
        self.assertTrue(move.l10n_tr_edoc_to_transmit)
        move.l10n_tr_send()
        self.assertFalse(move.l10n_tr_edoc_to_transmit)

    def test_answer_period_over(self):
        self._incoming(
            "TED2026000000021",
            profile="TICARIFATURA",
            received=fields.Datetime.now() - timedelta(days=9),
        )
        bill = self.env["account.move"].browse(
            self.env["account.move"].l10n_tr_fetch_inbox(self.company.id)["created"]
        )
        self.assertFalse(bill.l10n_tr_can_respond)
        with self.assertRaisesRegex(UserError, "8-day"):
            bill.l10n_tr_accept()
        self.assertFalse(self.fake.responses)
