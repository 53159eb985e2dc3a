"""The first page imports only what it needs (issue 21: the first page drawn after opening the link).

Not timed (benchmarks/startup.py times it): a fresh interpreter renders the
app's first page, Home, on a demo journal with Streamlit's AppTest, and the
heavy modules no part of Home uses must still be unimported: OpenCV and SciPy
(photo measurement), fpdf2 (the PDF), vl-convert (charts drawn as pictures,
the PDF's images), pillow-heif, and the phone listener with its web server.
Each is imported where it is used, on first use.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_ON_THE_FIRST_PAGE = ["cv2", "scipy", "fpdf", "vl_convert", "pillow_heif", "phone.listener", "uvicorn"]

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
    assert "ui.today" in imported and "store.journal" in imported  # the page did run
    heavy = [name for name in NOT_ON_THE_FIRST_PAGE if name in imported]
    assert not heavy, f"the first page imported {heavy}"


def _project_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    return {name for name in names if name.split(".")[0] in {"store", "ui", "healing_journal", "charts", "recovery"}}


def test_the_server_warms_up_what_the_first_page_imports() -> None:
    # launch.warm_first_page imports these once the link is printed (while the browser
    # loads Streamlit's frontend); a module added to the first page belongs in the list.
    from launch import FIRST_PAGE_MODULES

    needed = _project_imports(ROOT / "journal_app.py") | _project_imports(ROOT / "pages" / "home.py")
    assert needed <= set(FIRST_PAGE_MODULES), needed - set(FIRST_PAGE_MODULES)


WARM = """
import sys, threading
import launch

launch.warm_first_page()
(warming,) = [t for t in threading.enumerate() if t.name == "warm-first-page"]
warming.join(timeout=300)
assert not warming.is_alive()
missing = [name for name in launch.FIRST_PAGE_MODULES if name not in sys.modules]
assert not missing, missing
assert "altair" in sys.modules and "fpdf" not in sys.modules and "cv2" not in sys.modules
"""


def test_the_warm_up_imports_every_first_page_module_and_nothing_heavy(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", WARM], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
