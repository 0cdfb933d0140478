import xmlrpc.client

from odoo.tests import HttpCase, tagged

from .credit_common import CreditCommon


@tagged("post_install", "-at_install")
class TestCreditXmlRpc(CreditCommon, HttpCase):
    """The public methods called over XML-RPC by an ordinary salesperson and a credit
    manager."""

    def _call(self, login, model, method, *args, **kwargs):
        uid = self.xmlrpc_common.login(self.env.cr.dbname, login, login)
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, login, model, method, list(args), kwargs
        )

    def test_salesperson_and_manager(self):
        partner = self._customer("Uzak Müşteri", limit=1000.0)
        result = self._call(
            "salesperson", "res.partner", "check_credit", [partner.id], 1500.0, self.try_.id
        )
        self.assertEqual(
            (result["allowed"], result["action"], result["open_credit"], result["exceeded_by"]),
            (False, "block", False, False),
        )
        order = self._order(partner, qty=10, price=100.0, user=self.salesperson)
        self._call("salesperson", "sale.order", "action_confirm", [order.id])
        order.invalidate_recordset()
        self.assertTrue(order.credit_hold)
        self.assertEqual(order.state, "draft")
        with self.assertRaises(xmlrpc.client.Fault) as error:
            self._call(
                "salesperson", "sale.order", "action_release_credit_hold", [order.id], "lütfen"
            )
        self.assertIn("credit managers", str(error.exception))
        with self.assertRaisesRegex(xmlrpc.client.Fault, "risk figures"):
            self._call("salesperson", "res.partner", "get_credit_risk", [partner.id])
        risk = self._call("credit_manager", "res.partner", "get_credit_risk", [partner.id])
        self.assertEqual(risk[str(partner.id)]["credit_limit"], 1000.0)
        self._call(
            "credit_manager", "sale.order", "action_release_credit_hold", [order.id], "Çek alındı"
        )
        order.invalidate_recordset()
        self.assertEqual(order.state, "sale")
