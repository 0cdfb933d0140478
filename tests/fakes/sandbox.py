"""Run every fake server at once for the Docker sandbox service.

    python -m tests.fakes.sandbox --host 0.0.0.0

Trendyol on 8070, İzibiz on 8071, Uyumsoft on 8072, n11 on 8073, Hepsiburada on 8074 (the
demo data points there). Each fake
runs in its own process; the sandbox stops them all when one of them dies or on Ctrl-C.
The corporate buyers that the fake Trendyol marks ``eInvoiceAvailable`` are registered as
e-Fatura users in both fake integrators, as GİB's list would have them.
"""

import argparse
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

FAKES = {"trendyol": 8070, "izibiz": 8071, "uyumsoft": 8072, "n11": 8073, "hepsiburada": 8074}
# fakes that seed orders at start (--seed)
MARKETPLACES = ("trendyol", "n11", "hepsiburada")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--seed", type=int, default=20, help="orders seeded in each fake marketplace"
    )
    options = parser.parse_args(argv)
    processes = []
    for name, port in FAKES.items():
        command = [
            sys.executable,
            "-m",
            f"tests.fakes.{name}",
            "--host",
            options.host,
            "--port",
            str(port),
        ]
        if name in MARKETPLACES:
            command += ["--seed", str(options.seed)]
        processes.append(subprocess.Popen(command))
        print(f"sandbox: {name} on http://{options.host}:{port}", flush=True)
    try:
        register_efatura_buyers(options.host)
        while all(process.poll() is None for process in processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            process.terminate()
    return max(process.wait() for process in processes)


def _local(host):
    return "127.0.0.1" if host in ("0.0.0.0", "") else host


def _request(url, payload=None, attempts=50):
    data = json.dumps(payload).encode() if payload is not None else None
    for attempt in range(attempts):
        try:
            request = urllib.request.Request(
                url, data=data, headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=5) as response:
                return json.loads(response.read() or b"null")
        except (urllib.error.URLError, ConnectionError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)
    return None


def efatura_buyers(packages):
    """{vkn: company} of the packages' corporate buyers that are e-Fatura users."""
    buyers = {}
    for package in packages:
        invoice = package.get("invoiceAddress") or {}
        if invoice.get("eInvoiceAvailable") and invoice.get("taxNumber"):
            buyers[invoice["taxNumber"]] = invoice.get("company") or ""
    return buyers


def register_efatura_buyers(host, ports=None):
    """Read the fake Trendyol's packages, register their e-Fatura buyers with the fake
    integrators; returns ``{vkn: company}``."""
    host, ports = _local(host), ports or FAKES
    packages = _request(f"http://{host}:{ports['trendyol']}/__fake__/packages")
    buyers = efatura_buyers(packages)
    for vkn, company in buyers.items():
        user = {
            "vkn": vkn,
            "title": company,
            "aliases": [f"urn:mail:defaultpk@{vkn}.example.com.tr"],
        }
        for name in ("izibiz", "uyumsoft"):
            _request(f"http://{host}:{ports[name]}/__fake__/users", user)
    print(f"sandbox: {len(buyers)} e-Fatura buyers registered with the integrators", flush=True)
    return buyers


if __name__ == "__main__":
    sys.exit(main())
