"""The app's PDF workers start from a plain module: under Streamlit the server's main module is the page script,
and a worker that re-ran it would load Streamlit, pandas and pyarrow (about 100 MB more each) for nothing."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

STARTUP_SECONDS = 240  # the workers warm up (one report each) on a machine whose cores may all be busy

SERVER = """
import sys, types
main = types.ModuleType("__main__")  # what Streamlit's script runner leaves there: the page script
main.__file__ = {script!r}
sys.modules["__main__"] = main
from ui import pdf_worker

pool = pdf_worker.pool()
answers = [pool.submit(eval, "[m for m in ('streamlit', 'pandas', 'pyarrow', 'app') if m in __import__('sys').modules]"
                             " + [__import__('sys').modules['__mp_main__'].__name__ if '__mp_main__' in "
                             "__import__('sys').modules else '']") for _ in range(6)]
print(sorted({{name for future in answers for name in future.result()}}))
print(sys.modules["__main__"] is main)
pdf_worker.shutdown()
"""


def test_the_app_workers_run_neither_the_page_script_nor_streamlit(tmp_path):
    # One worker, warmed up as the app's are (a warm-up that pulled in pandas would show): each worker is started
    # the same way, from the same plain module, so a second (warming up on a report of its own) would prove nothing more.
    marker = tmp_path / "ran"
    script = tmp_path / "page.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\nimport streamlit\n")
    code = SERVER.format(script=str(script))
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=STARTUP_SECONDS, env={"PHASEGATE_REPORT_WORKERS": "1", "PATH": "/usr/bin:/bin",
                                                        "PHASEGATE_DATA_DIR": str(tmp_path / "data"),
                                                        # the run's cache: the workers need not parse every questionnaire
                                                        "PHASEGATE_CACHE_DIR": os.environ.get("PHASEGATE_CACHE_DIR", "")})
    assert done.returncode == 0, done.stderr[-3000:]
    loaded, main_kept = done.stdout.strip().splitlines()[-2:]
    assert loaded == "['__mp_main__']"  # the plain module, run as the workers' main; nothing heavy
    assert main_kept == "True"  # the server's own main module is where Streamlit left it
    assert not marker.exists()
