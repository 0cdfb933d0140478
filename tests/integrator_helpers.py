"""What the e-invoice integrator tests share: sample invoices and batches of outgoing
documents for a receiver."""

import uuid

from l10n_tr_efatura.lib.integrators import OutgoingDocument

from tests.fakes.ubl_samples import sample_invoice


def invoice(number="EFT2026000000001", profile="TEMELFATURA"):
    """``(xml, ettn)`` of a sample invoice with a fresh ETTN."""
    ettn = str(uuid.uuid4())
    return sample_invoice(number=number, ettn=ettn, profile=profile), ettn


def documents(count, earchive=False, start=1, receiver=("", ""), internet_sale=None):
    """``count`` outgoing documents numbered from ``start``: e-Fatura to ``receiver``
    ``(vkn, alias)``, or e-Arşiv (mailed, with ``internet_sale`` when given)."""
    prefix, profile = ("ARS", "EARSIVFATURA") if earchive else ("EFT", "TEMELFATURA")
    docs = []
    for index in range(start, start + count):
        number = f"{prefix}2026{index:09d}"
        xml, ettn = invoice(number, profile)
        docs.append(
            OutgoingDocument(
                ettn=ettn,
                gib_number=number,
                xml=xml,
                earchive=earchive,
                receiver_vat="" if earchive else receiver[0],
                receiver_alias="" if earchive else receiver[1],
                internet_sale=internet_sale if earchive else None,
                email="ayse@example.com" if earchive else "",
            )
        )
    return docs


def outcomes(results):
    return [r.outcome for r in results]
