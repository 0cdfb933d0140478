import base64
import hashlib
from unittest.mock import patch

from odoo.addons.base.tests.common import new_test_user
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import MarketplaceCase, trendyol_package, with_status

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU"
    "5ErkJggg=="
)
WIZARD = "marketplace.claim.decision.wizard"


@tagged("post_install", "-at_install")
class TestClaimEvidence(MarketplaceCase):
    """Returns rejected with the marketplace's reasons and evidence files, against the fake."""

    def setUp(self):
        super().setUp()
        self.Reason = self.env["marketplace.claim.reason"]

    def returned_claim(self):
        """A delivered order of the fake whose first line (2 units) comes back."""
        package = with_status(trendyol_package(), "Delivered")
        self.store(package)
        self.process()
        # a minute ago: the sync window ends at "now" truncated to the second
        raw = self.fake.add_claim(
            package, line_index=0, claim_date=self.fake_module.now_ms() - 60000
        )
        self.account.sync_claims(self.account.id)
        claim = self.env["marketplace.claim"].search([("claim_ref", "=", raw["id"])])
        self.assertEqual(claim.decision, "to_decide")
        return claim, raw

    def reason(self, code):
        self.Reason._ensure_reasons(self.account)
        return self.Reason.search(
            [("account_id", "=", self.account.id), ("marketplace_ref", "=", str(code))]
        )

    def upload(self, name="kanit.png", raw=PNG, mimetype="image/png"):
        """An evidence file as the many2many_binary widget uploads it (before the wizard
        is saved)."""
        return self.env["ir.attachment"].create(
            {"name": name, "raw": raw, "mimetype": mimetype, "res_model": WIZARD, "res_id": 0}
        )

    def wizard(self, claim, **values):
        action = claim.action_open_decision()
        return (
            self.env[WIZARD]
            .with_context(action["context"])
            .create(dict({"decision": "reject"}, **values))
        )

    def test_claim_shows_customer_note_return_tracking_and_status_in_words(self):
        package = with_status(trendyol_package(), "Delivered")
        self.store(package)
        self.process()
        raw = self.fake.add_claim(
            package,
            line_index=0,
            customer_note="Beden küçük geldi",
            claim_date=self.fake_module.now_ms() - 60000,
        )
        self.account.sync_claims(self.account.id)
        claim = self.env["marketplace.claim"].search([("claim_ref", "=", raw["id"])])
        self.assertEqual(claim.customer_note, "Beden küçük geldi")
        self.assertEqual(claim.line_ids.customer_note, "Beden küçük geldi")
        self.assertEqual(claim.return_tracking_number, str(raw["cargoTrackingNumber"]))
        self.assertEqual(claim.return_carrier, "Trendyol Express Marketplace")
        self.assertEqual(claim.status, "WaitingInAction")
        self.assertEqual(claim.status_label, "WaitingInAction")
        labels = dict(claim._fields["status_label"]._description_selection(self.env))
        self.assertEqual(labels[claim.status_label], "Waiting for the seller's decision")
        self.assertEqual(claim.line_ids.status_label, "WaitingInAction")
        # the title names the order, the customer and the date, not the claim's UUID
        self.assertIn(claim.order_number, claim.display_name)
        self.assertIn(claim.partner_id.name, claim.display_name)
        self.assertNotIn(raw["id"], claim.display_name)
        # an unknown code keeps showing as it came
        claim.status = "SomethingNew"
        self.assertFalse(claim.status_label)

    def test_reasons_fetched_from_the_marketplace_once(self):
        claim, _raw = self.returned_claim()
        action = claim.action_open_decision()  # first use: read from the marketplace
        self.assertNotIn("default_reason_warning", action["context"])
        reasons = self.Reason.search([("account_id", "=", self.account.id)])
        self.assertEqual(
            sorted(map(int, reasons.mapped("marketplace_ref"))), [1, 51, 201, 251, 401, 451, 1651]
        )
        self.assertEqual(
            sorted(
                map(int, reasons.filtered(lambda r: not r.requires_file).mapped("marketplace_ref"))
            ),
            [451, 1651],
        )
        self.assertEqual(
            reasons.filtered(lambda r: r.marketplace_ref == "201").name, "İade gelen ürün yanlış"
        )
        self.assertEqual(self.reason(51).company_id, self.account.company_id)
        claim.action_open_decision()
        self.assertEqual(len(self.fake.calls("claims.reasons")), 1, "stored, not read again")
        # the marketplace drops a reason and renames another: refreshed on demand
        changed = [{"id": 51, "name": "Kullanılmış ürün"}, {"id": 1651, "name": "Paket gelmedi"}]
        with patch.object(self.fake_module, "CLAIM_ISSUE_REASONS", changed):
            result = reasons[:1].action_refresh()
        self.assertEqual(result["params"]["type"], "success")
        current = self.Reason.search([("account_id", "=", self.account.id)])
        self.assertEqual(sorted(map(int, current.mapped("marketplace_ref"))), [51, 1651])
        self.assertEqual(self.reason(51).name, "Kullanılmış ürün")
        self.assertFalse(
            self.Reason.browse(reasons.ids).filtered(lambda r: r.marketplace_ref == "201").active
        )

    def test_reasons_fall_back_to_the_no_file_ones_when_the_endpoint_fails(self):
        claim, _raw = self.returned_claim()
        self.fake.add_fault("http_error", "claims.reasons", status=403)
        action = claim.action_open_decision()
        self.assertIn(
            "reasons that need no evidence file", action["context"]["default_reason_warning"]
        )
        reasons = self.Reason.search([("account_id", "=", self.account.id)])
        self.assertEqual(sorted(map(int, reasons.mapped("marketplace_ref"))), [451, 1651, 2101])
        self.assertFalse(any(reasons.mapped("requires_file")))
        # the next refresh that works brings the whole list (and keeps the known ones)
        result = self.Reason.refresh_from_marketplace(self.account.ids)
        self.assertEqual((result["reasons"], result["fallback"]), (7, []))
        self.assertEqual(len(self.Reason.search([("account_id", "=", self.account.id)])), 7)

    def test_file_required_reason_without_file_sends_nothing(self):
        claim, _raw = self.returned_claim()
        wizard = self.wizard(
            claim,
            reason_id=self.reason(201).id,
            description="Gönderilen ürün değil, başka bir ürün iade edilmiş.",
        )
        with self.assertRaisesRegex(UserError, "needs an evidence file"):
            wizard.action_confirm()
        self.assertEqual(self.fake.calls("claims.issue"), [])
        self.assertEqual(claim.decision, "to_decide")

    def test_reject_with_png_evidence(self):
        claim, raw = self.returned_claim()
        evidence = self.upload()
        wizard = self.wizard(
            claim,
            reason_id=self.reason(251).id,
            description="Ürün kırık geldi, fotoğraf ekte.",
            attachment_ids=[evidence.id],
        )
        wizard.action_confirm()
        [issue] = self.fake.claim_issues
        self.assertEqual(issue["claim_id"], raw["id"])
        self.assertEqual(issue["reason_id"], 251)
        self.assertEqual(
            sorted(issue["claim_item_ids"]),
            sorted(item["id"] for item in raw["items"][0]["claimItems"]),
        )
        self.assertEqual(issue["description"], "Ürün kırık geldi, fotoğraf ekte.")
        self.assertEqual(
            [(f["filename"], f["content_type"], f["size"], f["sha1"]) for f in issue["files"]],
            [("kanit.png", "image/png", 70, hashlib.sha1(PNG).hexdigest())],
        )
        self.assertEqual(claim.decision, "rejected")
        self.assertEqual(claim.line_ids.mapped("state"), ["rejected"])
        self.assertFalse(claim.credit_note_id)
        self.assertEqual((evidence.res_model, evidence.res_id), ("marketplace.claim", claim.id))
        message = claim.message_ids.filtered("attachment_ids")
        self.assertEqual(message.attachment_ids, evidence)
        self.assertIn("Ürün kırık geldi", message.body)
        # fetched again (Unresolved on the marketplace): stays rejected, nothing created
        self.account.sync_claims(self.account.id)
        self.assertEqual(claim.decision, "rejected")
        self.assertFalse(claim.credit_note_id)

    def test_reject_with_evidence_over_xmlrpc(self):
        claim, raw = self.returned_claim()
        reason = self.reason(1)
        order_photo = self.env["ir.attachment"].create(
            {
                "name": "paket.png",
                "raw": PNG,
                "res_model": "sale.order",
                "res_id": claim.sale_order_id.id,
            }
        )
        Claim = self.env["marketplace.claim"]
        with self.assertRaisesRegex(UserError, "at most 500 characters"):
            Claim.reject_with_evidence([claim.id], reason.id, "x" * 501, [order_photo.id])
        self.assertEqual(self.fake.calls("claims.issue"), [])
        result = Claim.reject_with_evidence(
            [claim.id], reason.id, "Sahte ürün iade edilmiş.", attachment_ids=[order_photo.id]
        )
        self.assertEqual(result, {"rejected": [claim.id], "errors": {}})
        self.assertEqual(self.fake.claim_issues[0]["files"][0]["filename"], "paket.png")
        # the order keeps its file; the claim gets a copy
        self.assertEqual(order_photo.res_model, "sale.order")
        kept = claim.message_ids.attachment_ids
        self.assertEqual((kept.name, kept.raw), ("paket.png", PNG))
        with self.assertRaisesRegex(UserError, "already decided"):
            Claim.reject_with_evidence([claim.id], reason.id, "Tekrar", [order_photo.id])

    def test_marketplace_user_rejects_with_an_uploaded_file(self):
        claim, raw = self.returned_claim()
        user = new_test_user(
            self.env,
            login="mp_claim_user",
            groups="marketplace_connector.group_marketplace_user,base.group_user",
            company_id=self.company.id,
            company_ids=[(6, 0, [self.company.id])],
        )
        as_user = claim.with_user(user)
        action = as_user.action_open_decision()  # reads the reasons (stored as superuser)
        self.assertEqual(len(self.Reason.with_user(user).search([])), 7)
        evidence = self.upload().with_user(user).copy({"name": "kutu.png"})
        self.assertEqual(evidence.create_uid, user)
        wizard = (
            self.env[WIZARD]
            .with_user(user)
            .with_context(action["context"])
            .create(
                {
                    "decision": "reject",
                    "reason_id": self.reason(1).id,
                    "description": "Sahte ürün.",
                    "attachment_ids": [evidence.id],
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(claim.decision, "rejected")
        self.assertEqual(self.fake.claim_issues[0]["files"][0]["filename"], "kutu.png")
        self.assertEqual(self.fake.claim_issues[0]["claim_id"], raw["id"])
        self.assertEqual((evidence.res_model, evidence.res_id), ("marketplace.claim", claim.id))

    def test_marketplace_refusal_is_a_user_error_and_nothing_changes(self):
        claim, _raw = self.returned_claim()
        self.fake.add_fault("http_error", "claims.issue", status=400)
        with self.assertRaisesRegex(UserError, "refused to reject"):
            claim.reject(1651, "İade paketi elime ulaşmadı")
        self.assertEqual(claim.decision, "to_decide")

    def test_description_is_limited_to_500_characters(self):
        claim, _raw = self.returned_claim()
        with self.assertRaises(ValidationError):
            self.wizard(claim, reason_id=self.reason(451).id, description="ç" * 501)

    def test_approve_through_the_wizard_still_works(self):
        claim, raw = self.returned_claim()
        self.wizard(claim, decision="approve").action_confirm()
        self.assertEqual(claim.decision, "approved")
        self.assertEqual(
            self.fake.calls("claims.approve")[0]["json"]["claimLineItemIdList"],
            [item["id"] for item in raw["items"][0]["claimItems"]],
        )
        self.assertEqual(claim.credit_note_id.state, "posted")
        self.assertEqual(claim.return_picking_id.state, "done")
        self.assertEqual(self.fake.calls("claims.issue"), [])

    def test_approved_return_stays_approved_when_its_credit_note_fails(self):
        """The marketplace approved the return: a failing credit note is a to-do on the
        claim, never a rollback to "To decide"."""
        claim, _raw = self.returned_claim()
        claim.account_id.user_id = self.env.ref("base.user_admin")
        with (
            patch.object(
                type(claim), "_create_iade_credit_note", side_effect=UserError("no refund journal")
            ),
            self.assertLogs(
                "odoo.addons.marketplace_connector.models.marketplace_claim", "WARNING"
            ),
        ):
            result = claim.approve()
        self.assertEqual(len(self.fake.calls("claims.approve")), 1)
        self.assertEqual(claim.decision, "approved")
        self.assertEqual(set(claim.line_ids.mapped("state")), {"accepted"})
        self.assertFalse(result["credit_note_id"])
        self.assertFalse(claim.credit_note_id)
        self.assertIn("no refund journal", claim.error)
        todo = claim.activity_ids
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.env.ref("base.user_admin"))
        self.assertIn("no refund journal", todo.note)
        # the to-do's button completes the documents, without asking the marketplace again
        claim.action_create_return_documents()
        self.assertEqual(claim.credit_note_id.state, "posted")
        self.assertEqual(claim.return_picking_id.state, "done")
        self.assertFalse(claim.error)
        self.assertFalse(claim.activity_ids)
        self.assertEqual(len(self.fake.calls("claims.approve")), 1)

    def test_return_accepted_remotely_is_recorded_when_its_documents_fail(self):
        claim, raw = self.returned_claim()
        for item in raw["items"][0]["claimItems"]:
            item["claimItemStatus"] = {"name": "Accepted"}
        raw["lastModifiedDate"] += 1000
        with (
            patch.object(
                type(claim), "_create_return_documents", side_effect=RuntimeError("PDF engine down")
            ),
            self.assertLogs(
                "odoo.addons.marketplace_connector.models.marketplace_claim", "WARNING"
            ),
        ):
            self.env["marketplace.claim"]._store_claim(self.account, raw)
            # fetched again while the documents still fail: still one to-do
            self.env["marketplace.claim"]._store_claim(self.account, raw)
        self.assertEqual(claim.decision, "approved")
        self.assertIn("PDF engine down", claim.error)
        self.assertEqual(len(claim.activity_ids), 1)
