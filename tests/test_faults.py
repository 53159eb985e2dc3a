"""Faults a real computer causes: a killed process, several tabs writing at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
from PIL import Image

from healing_journal import Journal, Settings
from recovery.vocabulary import Sign
from tests.conftest import FIXED_DAY

ROOT = Path(__file__).resolve().parents[1]
KILL_TRIALS = 20

# The child saves entries and photos in a loop and reports each commit on
# stdout, so the parent knows what must have survived the kill.
CHILD = r"""
import datetime as dt, io, json, sys
import numpy as np
from PIL import Image
from healing_journal import Journal, Settings
folder, seed = sys.argv[1], int(sys.argv[2])
today = dt.date(2026, 11, 24)
journal = Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: today))
rng = np.random.default_rng(seed)
import cv2, scipy.ndimage, photometry.analysis  # what the first add_photo would import: ready means working
print("ready", flush=True)
for i in range(100000):
    day = today - dt.timedelta(days=int(rng.integers(0, 60)))
    area = ("face", "neck", "chest")[i % 3]
    entry = journal.save_entry(day, area, redness=int(rng.integers(0, 5)), notes=f"seed {seed} step {i}")
    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (96, 128, 3), dtype=np.uint8)).save(buffer, "JPEG", quality=85)
    photo = journal.add_photo(entry, buffer.getvalue(), filename=f"p{i}.jpg")
    print(json.dumps({"entry": entry, "photo": photo}), flush=True)
"""


def _kill_mid_work(folder: Path, seed: int) -> list[dict]:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder), str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout.readline().strip() == "ready", child.stderr.read()
    # The first commit first (on a busy machine the first photo's imports take
    # a while), then a kill at a random moment of the work that follows.
    first = child.stdout.readline()
    assert first.startswith("{"), child.stderr.read()
    time.sleep(random.Random(seed).uniform(0.05, 0.8))
    child.send_signal(signal.SIGKILL)
    output, _ = child.communicate(timeout=30)
    return [json.loads(line) for line in [first, *output.splitlines()] if line.startswith("{")]


def _assert_consistent(journal: Journal, committed: list[dict]) -> None:
    assert journal.integrity_check() == "ok"
    photo_ids = {photo.id for photo in journal.photos()}
    for done in committed:
        assert done["photo"] in photo_ids
        journal.entry_by_id(done["entry"])
    referenced = set()
    for relative, digest in journal.iter_photo_files():
        data = (journal.folder / relative).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest == Path(relative).stem
        referenced.add(relative)
    stored_photos = {path for path in journal.files.stored() if path.startswith("photos/")}
    assert stored_photos == referenced, "orphan or missing photo files after open"
    leftovers = [p for p in journal.folder.rglob(".incoming-*")]
    assert not leftovers


def test_sigkill_at_random_moments_leaves_a_consistent_journal(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    survived = 0
    for trial in range(KILL_TRIALS):
        committed = _kill_mid_work(folder, seed=trial)
        with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: FIXED_DAY)) as journal:
            _assert_consistent(journal, committed)
            survived += len(committed)
    assert survived > KILL_TRIALS  # the children did real work before each kill


def _noise_jpeg(seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (64, 80, 3), dtype=np.uint8)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_several_tabs_writing_at_once_lose_nothing(journal: Journal) -> None:
    """Streamlit runs each browser tab in a thread; they share one Journal."""
    threads, errors = 4, []
    per_thread = 15

    def tab(number: int) -> None:
        try:
            for step in range(per_thread):
                day = FIXED_DAY - dt.timedelta(days=step)
                area = ("face", "neck", "chest", "hands")[number]
                entry = journal.save_entry(day, area, redness=step % 5, notes=f"tab {number}")
                journal.add_photo(entry, _noise_jpeg(number * 1000 + step), filename="tab.jpg")
                # Every tab also rewrites one shared day: updates must not collide.
                journal.save_entry(FIXED_DAY, "other", swelling=number % 5)
        except Exception as exc:
            errors.append(exc)

    workers = [threading.Thread(target=tab, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    records = journal.entry_list()
    assert len(records) == threads * per_thread + 1
    assert len(journal.photos()) == threads * per_thread
    assert journal.entry(FIXED_DAY, "other").rating(Sign.SWELLING) in range(threads)
