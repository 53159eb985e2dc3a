"""The first page imports only what it needs (issue 21: the first page drawn after opening the link).

Not timed (benchmarks/startup.py times it): a fresh interpreter renders the
app's first page, Home, on a demo journal with Streamlit's AppTest, and the
heavy modules no part of Home uses must still be unimported: OpenCV and SciPy
(photo measurement), fpdf2 (the PDF), vl-convert (charts drawn as pictures,
the PDF's images), pillow-heif, pydicom (the DICOM export), and the phone listener with its
web server.
Each is imported where it is used, on first use.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_ON_THE_FIRST_PAGE = ["cv2", "scipy", "fpdf", "vl_convert", "pillow_heif", "phone.listener", "uvicorn", "pydicom"]

BUILD = """
import datetime as dt, sys
from pathlib import Path
from demo.generate import build_demo

build_demo(Path(sys.argv[1]), days=10, areas=["face"], today=dt.date(2025, 12, 31))
"""

# In its own interpreter: the demo's build draws photos with OpenCV.
RENDER = """
import json, sys
from streamlit.testing.v1 import AppTest

app = AppTest.from_file(sys.argv[1], default_timeout=120).run()
assert not app.exception, app.exception
assert [t.value for t in app.title] == ["Healing Journal"], [t.value for t in app.title]
print(json.dumps(sorted(sys.modules)))
"""


def test_home_imports_none_of_the_heavy_modules_it_does_not_use(tmp_path: Path) -> None:
    env = {**os.environ, "JOURNAL_DATA_DIR": str(tmp_path / "journal"), "JOURNAL_TODAY": "2025-12-31"}
    env["PYTHONPATH"] = str(ROOT)
    for script, argument in ((BUILD, tmp_path / "journal"), (RENDER, ROOT / "journal_app.py")):
        done = subprocess.run(
            [sys.executable, "-c", script, str(argument)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
    imported = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "ui.home_today" in imported and "store.journal" in imported  # the page did run
    heavy = [name for name in NOT_ON_THE_FIRST_PAGE if name in imported]
    assert not heavy, f"the first page imported {heavy}"
