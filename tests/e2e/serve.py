"""`streamlit run …` for browser tests that never open a PDF: the app as shipped, with `tests.stand_in`'s workers in
place of the real PDF worker processes, so pages that prepare a report on arrival lay none out.

    python -m tests.e2e.serve run app.py --server.port 8601 …
"""

import os
import sys

from streamlit.web import cli

from tests.stand_in import StandInWorkers
from ui import pdf_worker

if __name__ == "__main__":
    if os.environ.get("LATE_PIECES"):  # tests/e2e/test_run_order.py: the race ui/run_order.py guards against, forced
        from tests.e2e import late_pieces

        late_pieces.install()
    pdf_worker.pool = StandInWorkers()  # app.py and its pages find the module already imported, with this pool
    sys.argv[0] = "streamlit"
    sys.exit(cli.main())
