"""Faults a real computer causes: a killed process, several tabs writing at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import multiprocessing
import os
import random
import signal
import threading
import time
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

import numpy as np
from PIL import Image

from healing_journal import Journal, Settings
from recovery.vocabulary import Sign
from tests.conftest import FIXED_DAY

KILL_TRIALS = 20

# The child saves entries and photos in a loop and reports each commit to the
# parent, so the parent knows what must have survived the kill. Children come
# from a fork server that has imported the journal's code once (what the first
# add_photo would import too: ready means working); each is a process of its
# own, opening the journal afresh, and dies by SIGKILL.
PRELOAD = ["tests.test_faults", "cv2", "scipy.ndimage", "photometry.analysis"]


def _child(folder: str, seed: int, report: Connection) -> None:
    today = dt.date(2026, 11, 24)
    journal = Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: today))
    rng = np.random.default_rng(seed)
    report.send("ready")
    for i in range(100000):
        day = today - dt.timedelta(days=int(rng.integers(0, 60)))
        area = ("face", "neck", "chest")[i % 3]
        entry = journal.save_entry(day, area, redness=int(rng.integers(0, 5)), notes=f"seed {seed} step {i}")
        buffer = io.BytesIO()
        Image.fromarray(rng.integers(0, 255, (96, 128, 3), dtype=np.uint8)).save(buffer, "JPEG", quality=85)
        # Every other photo as Log a day saves it: measured in the background after the answer.
        photo = journal.add_photo(entry, buffer.getvalue(), filename=f"p{i}.jpg", measure_later=i % 2 == 1)
        report.send({"entry": entry, "photo": photo})


def _kill_mid_work(folder: Path, seed: int) -> list[dict]:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    reports, report = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(str(folder), seed, report))
    child.start()
    report.close()  # the child holds the writing end: its death ends the reports
    assert _next_report(reports, child) == "ready"
    # The first commit first, then a kill at a random moment of the work that follows.
    committed = [_next_report(reports, child)]
    time.sleep(random.Random(seed).uniform(0.05, 0.8))
    os.kill(child.pid, signal.SIGKILL)
    child.join(30)
    assert child.exitcode == -signal.SIGKILL
    while True:
        try:
            committed.append(reports.recv())
        except (EOFError, OSError):  # all read; a report cut by the kill is not counted
            break
    reports.close()
    return committed


def _next_report(reports: Connection, child: BaseProcess) -> object:
    try:
        if reports.poll(120):
            return reports.recv()
    except EOFError:
        pass
    child.join(5)
    raise AssertionError(f"the child stopped reporting (exit code {child.exitcode}); its error is above")


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
            journal.wait_for_photo_work()  # what a kill left waiting is measured after the open
            assert not any(photo.measuring for photo in journal.photos())
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
