"""The offline fallback validator: GİB's UBL-TR XSD shipped in the addon + the structural rules."""

from pathlib import Path

import pytest
from l10n_tr_efatura.lib import ubl, validation
from lxml import etree

from tests.test_ubl_builder import SCENARIOS, invoice
from tests.test_ubl_builder import SUPPLIER as SCENARIO_SUPPLIER

CAC = ubl.CAC
CBC = ubl.CBC
XSD_DIR = Path(validation.__file__).parent / "xsd"
EFK_XSD = None
try:  # the copy must stay byte-identical to the package it was taken from
    import efatura_kontrol

    EFK_XSD = Path(efatura_kontrol.__file__).parent / "ekler" / "xsd"
except ImportError:  # pragma: no cover - optional dependency
    pass


def fallback(xml):
    return validation.validate(xml, force_structural=True)


def xsd_messages(root):
    return fallback(etree.tostring(root))["errors"]


def test_xsd_set_is_shipped_with_its_source_note():
    assert validation.xsd_available()
    for name in validation.XSD_FILES.values():
        assert (XSD_DIR / name).is_file()
    common = sorted(p.name for p in (XSD_DIR / "common").glob("*.xsd"))
    assert len(common) == 14 and "UBL-CommonAggregateComponents-2.1.xsd" in common
    source = (XSD_DIR / "SOURCE.md").read_text(encoding="utf-8")
    assert "UBL-TR" in source and "OASIS" in source and "unmodified" in source


@pytest.mark.skipif(EFK_XSD is None, reason="efatura-kontrol not installed")
def test_shipped_xsd_files_are_unmodified():
    shipped = list(XSD_DIR.rglob("*.xsd"))
    assert len(shipped) == 16
    for path in shipped:
        assert path.read_bytes() == (EFK_XSD / path.relative_to(XSD_DIR)).read_bytes(), path


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_matrix_document_passes_the_xsd_fallback(name):
    xml = ubl.build_invoice(invoice(**SCENARIOS[name]))
    assert validation.xsd_errors(etree.fromstring(xml)) == []
    result = fallback(xml)
    assert result["engine"] == "xsd+structural"
    assert result["errors"] == []
    assert result["arithmetic_warnings"] == []


def test_engine_name_without_efatura_kontrol(monkeypatch):
    monkeypatch.setattr(validation, "kontrol_et", None)
    assert validation.engine_name() == "xsd+structural"
    result = validation.validate(ubl.build_invoice(invoice()))
    assert result["engine"] == "xsd+structural" and result["valid"]


def test_schema_is_loaded_once():
    assert validation.load_schema("Invoice") is validation.load_schema("Invoice")
    assert isinstance(validation.load_schema("ApplicationResponse"), etree.XMLSchema)


def test_element_out_of_order_gives_a_clear_xsd_error():
    root = ubl.build_invoice_tree(invoice())
    signature = root.find(CAC + "Signature")
    root.remove(signature)
    root.find(CAC + "AccountingSupplierParty").addnext(signature)
    errors = xsd_messages(root)
    assert errors == [
        "xsd: line 1: Element 'cac:AccountingSupplierParty': This element is not "
        "expected. Expected is one of ( cac:AdditionalDocumentReference, "
        "cac:Signature )."
    ]


def test_missing_mandatory_element_gives_a_clear_xsd_error():
    root = ubl.build_invoice_tree(invoice())
    root.remove(root.find(CBC + "IssueDate"))
    assert xsd_messages(root) == [
        "xsd: line 1: Element 'cbc:IssueTime': This element "
        "is not expected. Expected is ( cbc:IssueDate )."
    ]


def test_missing_mandatory_child_in_a_line_is_reported_with_its_line_number():
    root = ubl.build_invoice_tree(invoice())
    line = root.find(CAC + "InvoiceLine")
    line.remove(line.find(CAC + "Item"))
    xml = etree.tostring(root, pretty_print=True)
    errors = fallback(xml)["errors"]
    assert len(errors) == 1
    assert "Element 'cac:Price': This element is not expected. Expected is" in errors[0]
    assert "cac:Item" in errors[0]
    line_number = xml[: xml.index(b"<cac:Price>")].count(b"\n") + 1
    assert errors[0].startswith(f"xsd: line {line_number}:")


def test_bad_datatype_and_unknown_element_are_xsd_errors():
    root = ubl.build_invoice_tree(invoice())
    root.find(CBC + "IssueDate").text = "02.03.2026"
    etree.SubElement(root.find(CAC + "LegalMonetaryTotal"), CBC + "Bogus").text = "1"
    errors = xsd_messages(root)
    assert any("cbc:IssueDate" in e and "is not a valid value" in e for e in errors)
    assert any("cbc:Bogus" in e for e in errors)


def test_structural_rules_still_run_next_to_the_xsd():
    values = invoice(type="IADE")  # XSD-valid, but IADE without a BillingReference
    result = fallback(ubl.build_invoice(values))
    assert result["engine"] == "xsd+structural"
    assert [e for e in result["errors"] if e.startswith("IADEInvioceCheck")]
    assert not [e for e in result["errors"] if e.startswith("xsd")]
    root = ubl.build_invoice_tree(invoice())
    root.find(f"{CAC}LegalMonetaryTotal/{CBC}PayableAmount").text = "1.00"
    warnings = fallback(etree.tostring(root))["arithmetic_warnings"]
    assert warnings == ["hesap: PayableAmount is 1.00, expected 426.00"]


def _application_response():
    ns = "urn:oasis:names:specification:ubl:schema:xsd:ApplicationResponse-2"
    root = etree.Element(
        f"{{{ns}}}ApplicationResponse",
        nsmap={None: ns, "cac": CAC[1:-1], "cbc": CBC[1:-1], "ext": ubl.EXT[1:-1]},
    )
    for tag, text in (
        ("UBLVersionID", "2.1"),
        ("CustomizationID", "TR1.2"),
        ("ProfileID", "TICARIFATURA"),
        ("ID", "ABC2026000000001"),
        ("UUID", "3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
        ("IssueDate", "2026-03-02"),
    ):
        etree.SubElement(root, CBC + tag).text = text
    for tag in ("SenderParty", "ReceiverParty"):
        ubl._party(root, tag, dict(SCENARIO_SUPPLIER))
    response = etree.SubElement(root, CAC + "DocumentResponse")
    answer = etree.SubElement(response, CAC + "Response")
    etree.SubElement(answer, CBC + "ReferenceID").text = "3f2504e0-4f89-41d3-9a0c-0305e82c3302"
    etree.SubElement(answer, CBC + "ResponseCode").text = "KABUL"
    reference = etree.SubElement(response, CAC + "DocumentReference")
    etree.SubElement(reference, CBC + "ID").text = "ABC2026000000001"
    etree.SubElement(reference, CBC + "IssueDate").text = "2026-03-01"
    return root


def test_application_response_is_schema_checked():
    root = _application_response()
    result = fallback(etree.tostring(root))
    assert result == {
        "valid": True,
        "engine": "xsd+structural",
        "errors": [],
        "warnings": [],
        "arithmetic_warnings": [],
        "infos": [],
    }
    root.remove(root.find(CAC + "DocumentResponse"))
    assert fallback(etree.tostring(root))["errors"] == [
        "xsd: line 1: Element 'apr:ApplicationResponse': Missing child element(s). "
        "Expected is ( cac:DocumentResponse )."
    ]


def test_other_roots_and_hostile_documents_are_refused():
    assert fallback(b"<Order/>")["errors"] == ["xml-root: unexpected root element Order"]
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE Invoice [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<Invoice>&x;</Invoice>"
    )
    result = fallback(hostile)
    assert not result["valid"] and result["errors"][0].startswith("xml:")


@pytest.mark.parametrize("location", ["http://127.0.0.1:9/evil.xsd", "/etc/passwd", "OUTSIDE"])
def test_schema_resolver_only_opens_files_inside_lib_xsd(tmp_path, location):
    outside = tmp_path / "outside.xsd"
    outside.write_text(
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        '<xsd:element name="x"/></xsd:schema>'
    )
    location = str(outside) if location == "OUTSIDE" else location
    schema = (
        f'<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        f'<xsd:include schemaLocation="{location}"/></xsd:schema>'
    ).encode()
    document = etree.fromstring(
        schema, validation._schema_parser(), base_url=str(XSD_DIR / "maindoc" / "probe.xsd")
    )
    with pytest.raises(etree.XMLSchemaParseError, match="Failed to parse"):
        etree.XMLSchema(document)


def test_without_the_xsd_files_the_structural_rules_still_run(monkeypatch, tmp_path):
    monkeypatch.setattr(validation, "XSD_DIR", tmp_path)
    monkeypatch.setattr(validation, "kontrol_et", None)
    assert validation.engine_name() == "structural"
    root = ubl.build_invoice_tree(invoice())
    signature = root.find(CAC + "Signature")
    root.remove(signature)
    root.append(signature)
    result = validation.validate(etree.tostring(root))
    assert result["engine"] == "structural"
    assert "xsd: element Signature is out of order" in result["errors"]
