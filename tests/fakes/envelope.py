"""GİB's envelope rules the fake integrators apply to the receiver of an e-Fatura.

The integrator wraps each e-Fatura in a GİB envelope addressed to the receiver it is given;
GİB's schematron then checks the envelope against the document:

* ``DocumentReceiverCheck-1/-2``: the envelope's receiver VKN/TCKN is the document's
  ``AccountingCustomerParty`` VKN/TCKN (checked here for IHRACAT documents, whose customer
  party is the customs administration; the other samples of the suite use invented buyers);
* ``IhracatYolcuBeraberCheck-2``: the customs export mailbox ``urn:mail:ihracatpk@gtb.gov.tr``
  receives IHRACAT documents only.
"""

from lxml import etree

CAC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2}"
CBC = "{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}"
GTB_EXPORT_ALIAS = "urn:mail:ihracatpk@gtb.gov.tr"


def receiver_refusal(document, vkn, alias):
    """GİB's refusal text when ``document`` (XML bytes or root) may not go to (vkn, alias),
    else None."""
    root = (
        etree.fromstring(document, etree.XMLParser(resolve_entities=False, no_network=True))
        if isinstance(document, bytes)
        else document
    )
    customer = {
        node.get("schemeID"): (node.text or "").strip()
        for node in root.findall(
            f"{CAC}AccountingCustomerParty/{CAC}Party/{CAC}PartyIdentification/{CBC}ID"
        )
    }
    number = customer.get("VKN") or customer.get("TCKN")
    export = root.findtext(CBC + "ProfileID") == "IHRACAT"
    if export and vkn != number:
        return (
            f"DocumentReceiverCheck-1: Zarfı alan kullanıcı({vkn}) ile belgeyi alan "
            f"kullanıcı({number}) aynı olmalıdır."
        )
    if (alias == GTB_EXPORT_ALIAS) != export:
        return (
            f"IhracatYolcuBeraberCheck-2: {alias!r} alıcı etiketi ile ProfileID "
            f"{root.findtext(CBC + 'ProfileID')!r} uyuşmuyor: ihracat faturaları "
            f"'{GTB_EXPORT_ALIAS}' etiketine gönderilir."
        )
    return None
