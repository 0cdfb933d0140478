"""The transport flow through the fake Uyumsoft (real zeep, WS-Security, over 127.0.0.1).

The class runs in registry test mode, so integrator calls are logged through a cursor of
their own (a TestCursor here), as in production.
"""

from datetime import date

from odoo import Command
from odoo.addons.l10n_tr_efatura.tests.transport_common import (
    BUYER_PK,
    BUYER_VKN,
    TransportCase,
)
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestTransportUyumsoft(TransportCase):
    FAKE = "uyumsoft"

    @classmethod
    def _integrator_values(cls):
        return {"l10n_tr_uyumsoft_url": cls.fake.wsdl_url("Integration")}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry.enter_test_mode(cls.cr)
        cls.addClassCleanup(cls.registry.leave_test_mode)

    def test_efatura_post_send_status_accepted(self):
        move = self._invoice(self.buyer)
        self.assertEqual(move.l10n_tr_efatura_profile, "TEMELFATURA")
        result = move.l10n_tr_send()[0]
        self.assertEqual(result["state"], "sent", result)
        # the receiver's mailbox was looked up on the registered-user list
        self.assertEqual(self.buyer.l10n_tr_efatura_alias, BUYER_PK)
        stored = self.fake.document(move.l10n_tr_ettn)
        self.assertEqual(stored["target"], {"VknTckn": BUYER_VKN, "Alias": BUYER_PK})
        self.assertEqual(stored["id"], move.l10n_tr_gib_number)
        self.assertEqual(move.l10n_tr_edoc_integrator, "Uyumsoft")
        states = [move.l10n_tr_refresh_status()[0]["state"] for _i in range(3)]
        self.assertEqual(states, ["processing", "accepted", "delivered"])
        self.assertEqual(move.l10n_tr_edoc_raw_code, "Approved/1300")
        self.assertTrue(move.l10n_tr_edoc_final)
        logs = self.env["l10n_tr.edoc.log"].search([("move_id", "=", move.id)])
        self.assertEqual(
            logs.mapped("operation"),
            ["QueryOutboxInvoiceStatus"] * 3 + ["SendInvoice", "GetUserAliasses"],
        )
        self.assertNotIn(self.integrator.PASSWORD + "<", "".join(logs.mapped("payload")))

    def test_gateway_502_then_status_503_stays_unknown_until_the_poll(self):
        move = self._invoice(self.buyer)
        self.fake.add_fault("SendInvoice", "gateway", process=True, html="nginx")
        self.fake.add_fault("QueryOutboxInvoiceStatus", "gateway", status=503)
        result = move.l10n_tr_send()[0]
        self.assertEqual((result["state"], result["code"]), ("unknown", "HTTP502"), result)
        self.env["account.move"]._cron_l10n_tr_refresh_status()
        self.assertIn(move.l10n_tr_edoc_state, ("sent", "processing"))
        self.assertEqual(self.fake.document(move.l10n_tr_ettn)["id"], move.l10n_tr_gib_number)
        self.assertEqual(len(self.fake.calls("SendInvoice")), 1)

    def test_export_invoice_goes_to_the_customs_mailbox(self):
        move = self._export_invoice()
        result = move.l10n_tr_send()[0]
        self.assertEqual(result["state"], "sent", result)
        stored = self.fake.document(move.l10n_tr_ettn)
        self.assertEqual(
            stored["target"], {"VknTckn": "1460415308", "Alias": "urn:mail:ihracatpk@gtb.gov.tr"}
        )
        self.assertEqual(stored["scenario"], "eInvoice")

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
        with self._capture_mails():
            self.assertEqual(move.l10n_tr_send()[0]["state"], "sent")
        stored = self.fake.document(move.l10n_tr_ettn)
        self.assertEqual(stored["scenario"], "eArchive")
        self.assertEqual(stored["earchive"]["DeliveryType"], "Electronic")
        self.assertEqual(
            stored["earchive"]["InternetSalesInfo"],
            {
                "WebAddress": "https://magaza.example.com.tr",
                "PaymentMidierName": "iyzico",
                "PaymentType": "KREDIKARTI/BANKAKARTI",
                "PaymentDate": "2026-03-02",
            },
        )
        # the buyer gets the PDF from Odoo, not a second e-mail from the integrator
        self.assertFalse(stored["notification"])
        self.assertEqual(
            [move.l10n_tr_refresh_status()[0]["state"] for _i in range(2)],
            ["processing", "accepted"],
        )
        self.assertTrue(move.l10n_tr_edoc_final)
        # electronic delivery: the PDF is e-mailed to the buyer
        mail = self._new_mails.filtered(lambda m: self.consumer in m.recipient_ids)
        self.assertEqual(len(mail), 1)
        self.assertEqual((mail.model, mail.res_id), ("account.move", move.id))
        self.assertTrue(mail.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf"))

    def test_auto_send_batches_compressed(self):
        self.company.write({"l10n_tr_edoc_auto_send": True, "l10n_tr_edoc_batch_size": 2})
        self.buyer.write({"l10n_tr_is_efatura_user": True, "l10n_tr_efatura_alias": BUYER_PK})
        moves = self.env["account.move"].union(*[self._invoice(self.buyer) for _i in range(5)])
        self.env["account.move"]._cron_l10n_tr_auto_send()
        self.assertEqual(set(moves.mapped("l10n_tr_edoc_state")), {"sent"})
        # ⌈5/2⌉ requests: two compressed batches, the last single document typed
        self.assertEqual(self.fake.documents_per_call("CompressedSendInvoice"), [2, 2])
        self.assertEqual(self.fake.documents_per_call("SendInvoice"), [1])
        self.assertEqual(sorted(self.fake.outbox), sorted(moves.mapped("l10n_tr_ettn")))
        self.env["account.move"]._cron_l10n_tr_auto_send()
        self.assertEqual(len(self.fake.calls("CompressedSendInvoice")), 2)
        self.assertEqual(len(self.fake.calls("SendInvoice")), 1)

    def test_inbox_creates_vendor_bills_once(self):
        self._fetch_incoming_bills()
        self.assertTrue(all(d["taken"] for d in self.fake.inbox))
        # shown again by the integrator: not imported twice
        self.fake.inbox[0]["taken"] = False
        again = self.env["account.move"].l10n_tr_fetch_inbox(self.company.id)
        self.assertEqual((again["created"], again["skipped"]), ([], 1))

    def test_reject_commercial_invoice(self):
        self._incoming("TED2026000000011", profile="TICARIFATURA")
        bill = self.env["account.move"].browse(
            self.env["account.move"].l10n_tr_fetch_inbox(self.company.id)["created"]
        )
        self.assertTrue(bill.l10n_tr_can_respond)
        wizard = self.env["l10n_tr.edoc.reject.wizard"].create(
            {"move_ids": [Command.set(bill.ids)], "reason": "Fiyat farkı"}
        )
        wizard.action_reject()
        self.assertEqual(bill.l10n_tr_edoc_response, "RED")
        self.assertEqual(
            self.fake.responses,
            [{"uuid": bill.l10n_tr_incoming_ettn, "status": "Declined", "reason": "Fiyat farkı"}],
        )
        with self.assertRaises(UserError):
            bill.l10n_tr_accept()
        self.assertEqual(len(self.fake.responses), 1)

    def test_cancel_earchive(self):
        move = self._invoice(self.consumer)
        self.assertEqual(move.l10n_tr_send()[0]["state"], "sent")
        result = move.l10n_tr_cancel_edocument("Müşteri vazgeçti")
        self.assertEqual(result["state"], "cancelled")
        self.assertEqual(move.state, "cancel")
        self.assertTrue(self.fake.document(move.l10n_tr_ettn)["cancelled"])
        self.assertEqual(
            self.fake.calls("CancelEArchiveInvoice")[0]["request"]["request"]["InvoiceId"],
            move.l10n_tr_ettn,
        )
        # the integrator now reports it cancelled
        self.assertEqual(move.l10n_tr_refresh_status()[0]["state"], "cancelled")
