"""Run every fake server at once for the Docker sandbox service.

    python -m tests.fakes.sandbox --host 0.0.0.0

Trendyol on 8070, İzibiz on 8071, Uyumsoft on 8072 (the demo data points there). Each fake
runs in its own process; the sandbox stops them all when one of them dies or on Ctrl-C.
"""
import argparse
import subprocess
import sys
import time

FAKES = {"trendyol": 8070, "izibiz": 8071, "uyumsoft": 8072}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--seed", type=int, default=20, help="orders seeded in the fake Trendyol")
    options = parser.parse_args(argv)
    processes = []
    for name, port in FAKES.items():
        command = [sys.executable, "-m", f"tests.fakes.{name}", "--host", options.host,
                   "--port", str(port)]
        if name == "trendyol":
            command += ["--seed", str(options.seed)]
        processes.append(subprocess.Popen(command))
        print(f"sandbox: {name} on http://{options.host}:{port}", flush=True)
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            process.terminate()
    return max(process.wait() for process in processes)


if __name__ == "__main__":
    sys.exit(main())
