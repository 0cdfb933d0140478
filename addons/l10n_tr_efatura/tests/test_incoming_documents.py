"""Incoming e-invoices: one bad document stops nothing (fake İzibiz over 127.0.0.1)."""

import base64
import datetime
import uuid
from unittest.mock import patch

from odoo.addons.l10n_tr_efatura.lib.integrators.izibiz import IzibizProvider
from odoo.addons.l10n_tr_efatura.tests.transport_common import (
    SUPPLIER_VKN,
    IzibizTransportCase,
)
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

BAD_KINDS = (
    "dtd",
    "wrong_namespace",
    "missing_uuid",
    "missing_supplier_vkn",
    "bad_date",
    "huge_amount",
    "nan_amount",
    "absurd_quantity",
    "negative_quantity",
    "too_deep",
)


@tagged("post_install", "-at_install")
class TestIncomingDocuments(IzibizTransportCase):
    def _add_raw(self, xml, number, sender_vkn=SUPPLIER_VKN):
        """Put any bytes in the fake inbox, as the integrator would hand them over."""
        ettn = str(uuid.uuid4())
        doc = {
            "id": number,
            "uuid": ettn,
            "xml": xml,
            "sender_vkn": sender_vkn,
            "sender_name": "Tedarik A.Ş.",
            "profile": "TEMELFATURA",
            "issue_date": "2026-01-15",
            "payable": "0",
            "cdate": datetime.datetime.now(),
            "read": False,
            "status": "133",
            "response": None,
        }
        self.fake.inbox.append(doc)
        return doc

    def _hostile(self, kind, index):
        number = f"BAD2026{index:09d}"
        return self._add_raw(self.samples.hostile_invoice(kind, number=number), number)

    def _fetch(self, **options):
        with mute_logger("odoo.addons.l10n_tr_efatura.models.l10n_tr_incoming_document"):
            return self.env["account.move"].l10n_tr_fetch_inbox(self.company.id, **options)

    def _incoming_docs(self):
        return self.env["l10n_tr.incoming.document"].search([("company_id", "=", self.company.id)])

    def test_bad_documents_recorded_good_one_booked_all_fetched(self):
        bad = [self._hostile(kind, index) for index, kind in enumerate(BAD_KINDS, 1)]
        other_sender = self._add_raw(
            self.samples.sample_invoice(
                number="OTH2026000000001", supplier=("7345120982", "Başka A.Ş.")
            ),
            "OTH2026000000001",
        )
        ourselves = self._add_raw(
            self.samples.sample_invoice(
                number="OWN2026000000001", supplier=("4840847211", self.company.name)
            ),
            "OWN2026000000001",
            sender_vkn="4840847211",
        )
        good = self._incoming("TED2026000000101")  # last in the inbox
        result = self._fetch(page_size=50)

        self.assertEqual(result["pages"], 1)
        bill = self.env["account.move"].browse(result["created"])
        self.assertEqual(len(bill), 1)
        self.assertEqual(bill.l10n_tr_incoming_ettn, good["uuid"])
        self.assertEqual(bill.partner_id, self.supplier)
        self.assertAlmostEqual(bill.amount_total, 960.0)
        docs = self._incoming_docs()
        self.assertEqual(sorted(docs.ids), sorted(result["recorded"]))
        self.assertEqual(len(docs), len(BAD_KINDS) + 2)
        by_ettn = {doc.ettn: doc for doc in docs}
        for kind, row in zip(BAD_KINDS, bad):
            doc = by_ettn[row["uuid"]]
            self.assertEqual(doc.state, "error", kind)
            self.assertTrue(doc.reason, kind)
            self.assertEqual(base64.b64decode(doc.raw_xml), row["xml"], kind)
            self.assertEqual(doc.gib_number, row["id"])
            self.assertFalse(doc.move_id)
        reasons = {kind: by_ettn[row["uuid"]].reason for kind, row in zip(BAD_KINDS, bad)}
        self.assertIn("DTD", reasons["dtd"])
        self.assertIn("UUID", reasons["missing_uuid"])
        self.assertIn("IssueDate is not a valid date: 2026-02-30", reasons["bad_date"])
        self.assertIn("PriceAmount is not a decimal number: 1e309", reasons["huge_amount"])
        self.assertIn("PayableAmount is not a decimal number: NaN", reasons["nan_amount"])
        self.assertIn("InvoicedQuantity is out of range: 1000000000000", reasons["absurd_quantity"])
        self.assertIn("InvoicedQuantity must not be negative", reasons["negative_quantity"])
        self.assertIn("nested deeper than 64", reasons["too_deep"])
        held = by_ettn[other_sender["uuid"]]
        self.assertEqual(held.state, "review")
        self.assertIn("differs from the sender", held.reason)
        self.assertEqual(held.supplier_vat, "7345120982")
        self.assertEqual(by_ettn[ourselves["uuid"]].state, "review")
        self.assertIn("our own company", by_ettn[ourselves["uuid"]].reason)
        # nothing of a refused document was booked: one vendor bill in all
        self.assertEqual(
            self.env["account.move"].search_count(
                [("company_id", "=", self.company.id), ("l10n_tr_incoming_ettn", "!=", False)]
            ),
            1,
        )
        # every document is marked fetched: the next run gets nothing again
        self.assertTrue(all(doc["read"] for doc in self.fake.inbox))
        again = self._fetch()
        self.assertEqual((again["created"], again["recorded"], again["skipped"]), ([], [], 0))
        # shown again by the integrator: neither booked nor recorded twice
        bad[0]["read"] = good["read"] = False
        again = self._fetch()
        self.assertEqual((again["created"], again["recorded"], again["skipped"]), ([], [], 2))
        self.assertEqual(len(self._incoming_docs()), len(BAD_KINDS) + 2)

    def test_retry_import_and_dismiss(self):
        broken = self._incoming("TED2026000000201")
        held = self._add_raw(
            self.samples.sample_invoice(
                number="OTH2026000000002", supplier=("7345120982", "Başka A.Ş.")
            ),
            "OTH2026000000002",
        )
        refused = self._hostile("bad_date", 3)
        Move = type(self.env["account.move"])
        with patch.object(Move, "_l10n_tr_incoming_partner", side_effect=KeyError("vat")):
            result = self._fetch()
        self.assertEqual(result["created"], [])
        docs = {doc.ettn: doc for doc in self._incoming_docs()}
        transient = docs[broken["uuid"]]
        self.assertEqual(transient.state, "error")
        self.assertIn("KeyError", transient.reason)
        # the cause is gone: Retry import books it, with the integrator's PDF
        transient.action_retry()
        self.assertEqual(transient.state, "imported")
        self.assertFalse(transient.reason)
        self.assertEqual(transient.move_id.l10n_tr_incoming_ettn, broken["uuid"])
        self.assertAlmostEqual(transient.move_id.amount_total, 960.0)
        # a refused document stays refused
        docs[refused["uuid"]].action_retry()
        self.assertEqual(docs[refused["uuid"]].state, "error")
        # held for review: Retry keeps it held, "Import as vendor bill" books it
        docs[held["uuid"]].action_retry()
        self.assertEqual(docs[held["uuid"]].state, "review")
        docs[held["uuid"]].action_import_reviewed()
        self.assertEqual(docs[held["uuid"]].state, "imported")
        self.assertEqual(docs[held["uuid"]].move_id.partner_id.vat, "7345120982")
        # dismissed: closed for good
        docs[refused["uuid"]].action_dismiss()
        self.assertEqual(docs[refused["uuid"]].state, "dismissed")
        with self.assertRaises(UserError):
            docs[refused["uuid"]].action_retry()
        with self.assertRaises(UserError):
            transient.action_dismiss()

    def test_rights_on_incoming_documents(self):
        self._hostile("nan_amount", 4)
        self._fetch()
        doc = self._incoming_docs()
        billing = new_test_user(
            self.env,
            login="tr_billing",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        self.assertEqual(doc.with_user(billing).read(["state"])[0]["state"], "error")
        with self.assertRaises(AccessError):
            doc.with_user(billing).action_dismiss()
        with self.assertRaises(AccessError):
            doc.with_user(billing).action_retry()
        self.assertEqual(doc.state, "error")
        other = self.setup_other_company(name="Başka Şirket TR")["company"]
        stranger = new_test_user(
            self.env,
            login="tr_stranger",
            groups="account.group_account_manager",
            company_id=other.id,
            company_ids=other.ids,
        )
        self.assertFalse(self.env["l10n_tr.incoming.document"].with_user(stranger).search([]))

    def test_cron_fetches_other_companies_when_one_fails(self):
        other = self.setup_other_company(name="İkinci Şirket")["company"]
        vals = {
            key: self.company[key]
            for key in (
                "l10n_tr_integrator",
                "l10n_tr_integrator_environment",
                "l10n_tr_integrator_username",
                "l10n_tr_integrator_password",
                "l10n_tr_izibiz_auth_url",
                "l10n_tr_izibiz_einvoice_url",
                "l10n_tr_izibiz_earchive_url",
            )
        }
        other.write(dict(vals, vat="7345120982"))
        self._incoming("TED2026000000301")
        Move = type(self.env["account.move"])
        original = Move.l10n_tr_fetch_inbox
        first = self.company

        def fetch(records, company_id=False, **kwargs):
            if company_id == first.id:
                raise ZeroDivisionError("a bug in one company's inbox")
            return original(records, company_id, **kwargs)

        self.env["res.company"].search([("id", "not in", (first | other).ids)]).write(
            {"l10n_tr_integrator": False}
        )
        IzibizProvider.forget_sessions()
        with (
            patch.object(Move, "l10n_tr_fetch_inbox", fetch),
            mute_logger("odoo.addons.l10n_tr_efatura.models.account_move_transport"),
        ):
            self.env["account.move"]._cron_l10n_tr_fetch_inbox()
        bills = self.env["account.move"].search([("l10n_tr_incoming_ettn", "!=", False)])
        self.assertEqual(bills.company_id, other)
        self.assertEqual(bills.ref, "TED2026000000301")
