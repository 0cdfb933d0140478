"""Static quality gates over every addon: manifests, data files, XML, access rules, ruff."""

import ast
import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
ADDONS = sorted(p for p in (ROOT / "addons").iterdir() if (p / "__manifest__.py").exists())
# libraries Odoo 18 itself requires: an addon may depend on nothing beyond them
ALLOWED_PYTHON_DEPS = {"lxml", "python-stdnum", "qrcode", "requests", "zeep"}
EXPECTED = {
    "l10n_tr_commerce_base",
    "l10n_tr_efatura",
    "marketplace_connector",
    "partner_credit_risk",
    "marketplace_connector_credit_risk",
    "partner_credit_risk_mass_mailing",
}


def manifest(addon):
    return ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))


def addon_ids(addons=ADDONS):
    return [a.name for a in addons]


def test_all_addons_present():
    assert {a.name for a in ADDONS} == EXPECTED


@pytest.mark.parametrize("addon", ADDONS, ids=addon_ids())
def test_manifest_is_valid(addon):
    data = manifest(addon)
    assert data["version"] == "18.0.1.0.0"
    assert data["license"] == "LGPL-3"
    assert data["installable"] is True
    assert data["name"] and data["depends"]
    python_deps = set(data.get("external_dependencies", {}).get("python", []))
    assert python_deps <= ALLOWED_PYTHON_DEPS


@pytest.mark.parametrize("addon", ADDONS, ids=addon_ids())
def test_listed_data_files_exist(addon):
    data = manifest(addon)
    listed = data.get("data", []) + data.get("demo", [])
    has_no_rights = "an addon with models but no data file has no views nor security"
    assert listed or not declared_models(addon), has_no_rights
    missing = [name for name in listed if not (addon / name).is_file()]
    assert not missing, f"listed in the manifest but missing: {missing}"


@pytest.mark.parametrize("addon", ADDONS, ids=addon_ids())
def test_oca_layout(addon):
    for fragment in ("DESCRIPTION.md", "CONFIGURE.md", "USAGE.md"):
        assert (addon / "readme" / fragment).stat().st_size > 40, fragment
    assert (addon / "static" / "description" / "icon.png").is_file()
    assert (addon / "i18n" / "tr.po").is_file()
    if declared_models(addon):  # an addon of shared rules only has no model to give rights on
        assert (addon / "security" / "ir.model.access.csv").is_file()
    assert (addon / "tests" / "__init__.py").is_file()


def test_every_xml_file_parses():
    files = [p for addon in ADDONS for p in addon.rglob("*.xml")]
    assert files
    for path in files:
        etree.parse(str(path))  # raises with the file and line on a syntax error


def class_defs(paths):
    """Every class defined in the Python files ``paths``."""
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                yield node


def base_names(node):
    return {getattr(base, "attr", getattr(base, "id", "")) for base in node.bases}


def assigned_names(node):
    return {
        target.id
        for statement in node.body
        if isinstance(statement, ast.Assign)
        for target in statement.targets
        if isinstance(target, ast.Name)
    }


def class_attribute(node, attribute):
    """Literal value of ``attribute`` assigned in a class body (None when absent)."""
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and getattr(statement.targets[0], "id", None) == attribute
        ):
            try:
                return ast.literal_eval(statement.value)
            except ValueError:
                return None
    return None


def stored_model_names(path):
    """``_name`` of the classes of a file that are not abstract (those have no table), leaving
    out extensions of an existing model (``_name`` also in ``_inherit``, e.g. adding a mixin)."""
    names = []
    for node in class_defs([path]):
        if "AbstractModel" in base_names(node):
            continue
        name = class_attribute(node, "_name")
        inherit = class_attribute(node, "_inherit")
        inherit = [inherit] if isinstance(inherit, str) else inherit or []
        if isinstance(name, str) and name not in inherit:
            names.append(name)
    return names


def declared_models(addon):
    """The stored models an addon defines (models/ and wizards/)."""
    declared = set()
    for path in list(addon.glob("models/*.py")) + list(addon.glob("wizards/*.py")):
        declared.update(stored_model_names(path))
    return declared


@pytest.mark.parametrize("addon", ADDONS, ids=addon_ids())
def test_every_model_has_access_rules(addon):
    declared = declared_models(addon)
    if not declared:
        return
    with open(addon / "security" / "ir.model.access.csv", encoding="utf-8") as handle:
        covered = {row["model_id:id"].split(".")[-1] for row in csv.DictReader(handle)}
    missing = sorted(m for m in declared if "model_" + m.replace(".", "_") not in covered)
    assert not missing, f"models without access rules: {missing}"


def _models_with_company(addon):
    """Stored models (not wizards nor mixins) whose own class declares a ``company_id`` field."""
    paths = [
        path for folder in ("models", "report", "wizards") for path in addon.glob(f"{folder}/*.py")
    ]
    return {
        class_attribute(node, "_name")
        for node in class_defs(paths)
        if "Model" in base_names(node)
        and "company_id" in assigned_names(node)
        and isinstance(class_attribute(node, "_name"), str)
    }


def _company_rules(addon):
    models = set()
    for path in addon.glob("security/*.xml"):
        for record in etree.parse(str(path)).iterfind(".//record[@model='ir.rule']"):
            model = record.find("field[@name='model_id']")
            domain = record.find("field[@name='domain_force']")
            if model is not None and domain is not None and "company_ids" in domain.text:
                models.add(model.get("ref").split(".")[-1])
    return models


def test_company_gate_finds_models():
    assert all(
        _models_with_company(ROOT / "addons" / name)
        for name in ("l10n_tr_efatura", "marketplace_connector", "partner_credit_risk")
    ), "the gate found no model with a company: the parser is broken"


@pytest.mark.parametrize("addon", ADDONS, ids=addon_ids())
def test_every_model_with_a_company_has_a_multi_company_rule(addon):
    declared = _models_with_company(addon)
    covered = _company_rules(addon)
    missing = sorted(m for m in declared if "model_" + m.replace(".", "_") not in covered)
    assert not missing, f"models with company_id but no multi-company ir.rule: {missing}"


@pytest.mark.parametrize("addon", ADDONS, ids=addon_ids())
def test_translation_file_parses(addon):
    polib = pytest.importorskip("polib")
    po = polib.pofile(str(addon / "i18n" / "tr.po"))
    assert po.metadata.get("Language", "").startswith("tr")
    untranslated = [entry.msgid for entry in po if not entry.msgstr and not entry.obsolete]
    assert not untranslated, f"untranslated strings: {untranslated[:10]}"
    seen, duplicates = set(), []
    for entry in po:
        key = (entry.msgctxt, entry.msgid)
        duplicates += [entry.msgid] if key in seen else []
        seen.add(key)
    assert not duplicates, f"msgids listed twice (merge their occurrences): {duplicates[:10]}"


@pytest.mark.parametrize("addon", ADDONS, ids=addon_ids())
def test_lib_imports_nothing_from_odoo(addon):
    offenders = [
        str(path.relative_to(ROOT))
        for path in (addon / "lib").rglob("*.py")
        if re.search(r"^\s*(from|import)\s+odoo\b", path.read_text(encoding="utf-8"), re.M)
    ]
    assert not offenders


def test_ruff_is_clean():
    ruff = shutil.which("ruff")
    command = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    result = subprocess.run(
        [*command, "check", "--no-cache", str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    ruff = shutil.which("ruff")
    command = [ruff] if ruff else [sys.executable, "-m", "ruff"]
    result = subprocess.run(
        [*command, "format", "--check", "--no-cache", str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_connector_models_name_no_marketplace():
    """The connector's models and wizards call the marketplace interface only: no
    marketplace's name, status code, payload key or URL in them (issue #12 §1)."""
    from marketplace_connector.lib import marketplace

    connector = ROOT / "addons" / "marketplace_connector"
    names, codes = set(), {"lineId", "salePrice", "listPrice", "shipmentPackageId"}
    for adapter in marketplace.adapter_classes():
        names |= {adapter.code, adapter.name}
        names |= {url.split("//")[-1] for url in adapter.URLS.values()}
        # status codes that are not plain English words (a plain "Cancelled" is also a label)
        statuses = [*adapter.package_status_names, *adapter.claim_status_names]
        codes |= {code for code, _name in statuses if len(re.findall("[A-Z]", code)) > 1}
    offenders = []
    for path in [*connector.glob("models/*.py"), *connector.glob("wizards/*.py")]:
        text = path.read_text(encoding="utf-8")
        offenders += [
            f"{path.relative_to(ROOT)}: {name}"
            for name in sorted(names)
            if re.search(rf"[\"'][^\"'\n]*\b{re.escape(name)}\b[^\"'\n]*[\"']", text, re.I)
        ]
        offenders += [
            f"{path.relative_to(ROOT)}: {code}"
            for code in sorted(codes)
            if re.search(rf"[\"']{re.escape(code)}[\"']", text)
        ]
    assert not offenders, offenders
