"""Memory of the app's PDF workers: resident set size (RSS) of each, once it has warmed up, as the app starts them.

    python bench/worker_memory.py [--workers 2]

Streamlit runs app.py as the `__main__` module of the server. A spawned worker would re-run that main module before
its first job (importing Streamlit, pandas and pyarrow); this starts the pool from a server whose main module is
app.py, as Streamlit leaves it, and prints each worker's RSS and whether Streamlit, pandas or pyarrow got loaded.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SERVER = """
import os, sys, types
sys.path.insert(0, {root!r})
main = types.ModuleType("__main__")  # what Streamlit's script runner puts there for the page script
main.__file__ = {app!r}
sys.modules["__main__"] = main
from ui import pdf_worker

pool = pdf_worker.pool()
[future.result() for future in [pool.submit(os.getpid) for _ in range(8 * {workers})]]
pids = sorted(pool._processes)  # every worker, busy or not
heavy = [pool.submit(eval, "sorted(m for m in ('streamlit', 'pandas', 'pyarrow') if m in __import__('sys').modules)")
         .result() for _ in range(4 * {workers})]
for pid in pids:
    status = open(f"/proc/{{pid}}/status").read()
    rss = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
    print(pid, int(rss) // 1024)
print("heavy", sorted(set(name for names in heavy for name in names)))
pdf_worker.shutdown()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    workers = parser.parse_args().workers
    env_code = SERVER.format(root=str(ROOT), app=str(ROOT / "app.py"), workers=workers)
    done = subprocess.run([sys.executable, "-c", env_code], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**__import__("os").environ, "PHASEGATE_REPORT_WORKERS": str(workers)})
    if done.returncode != 0:
        sys.exit(done.stderr[-2000:])
    lines = done.stdout.strip().splitlines()
    sizes = [int(line.split()[1]) for line in lines if not line.startswith("heavy")]
    print(f"PDF workers (warmed up): {', '.join(f'{size} MB' for size in sizes)} RSS; "
          f"mean {sum(sizes) / len(sizes):.0f} MB")
    print(f"loaded in the workers: {lines[-1].removeprefix('heavy ')}")


if __name__ == "__main__":
    main()
