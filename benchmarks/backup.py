"""Peak memory of backing up and restoring a ~2 GB journal, from the command line and from the page.

The journal is ~2 GB of random-noise JPEG photos with their rows inserted
directly (benchmarks/noise_journal.py: a backup does not look inside a photo,
and ingesting 2 GB through add_photo would take an hour). Each measure runs in
a fresh Python process and reads its own peak resident size (VmHWM, see
benchmarks/memory.py) once the operation is done:

- CLI: `healing_journal.cli.main(["backup", ...])` / `(["restore", ...])`, in process, as
  `python -m healing_journal` runs them;
- page: pages/export_backup.py driven with Streamlit's AppTest: "Save backup"
  into a folder, and "Restore" from a file path into a new folder.

Baselines in the same run: a process that only imports what the CLI imports
(healing_journal.cli, store.backup, pyzipper), a process that renders the page without
clicking, and a process copying the same journal folder with shutil.copytree.
The target is an absolute peak under 300 MB; the ratio is against the
matching idle process.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import DEMO_TODAY, FIXTURE_VERSION, JOURNALS, ROOT, log, median, row, scratch_dir

NAME = "backup"
TITLE = "Peak memory of backup and restore of a ~2 GB journal (CLI and page), vs idle processes"
TARGET_MB = 300
PASSPHRASE = "benchmark passphrase of some length"
PHOTO_SIDE = 2400  # 2400 x 1800 noise: ~4 MB a photo, like a phone's


def journal_fixture(total_bytes: int) -> Path:
    """A noise journal of about `total_bytes` of photo files, built once under results/journals/."""
    from benchmarks.noise_journal import build_noise_journal, noise_jpeg

    name = f"v{FIXTURE_VERSION}-noise-{total_bytes // 2**20}mb"
    folder = JOURNALS / name
    if (folder / ".complete").exists():
        return folder
    per_photo = len(noise_jpeg(PHOTO_SIDE, PHOTO_SIDE * 3 // 4, seed=1))
    photos = math.ceil(total_bytes / per_photo)
    log(f"  building {name}: {photos} noise photos of {per_photo / 2**20:.1f} MB (cached for later runs) ...")
    building = JOURNALS / f".building-{name}-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    JOURNALS.mkdir(parents=True, exist_ok=True)
    written = build_noise_journal(building, photos=photos, photo_side=PHOTO_SIDE, today=DEMO_TODAY)
    (building / ".complete").write_text(f"{photos} photos, {written} bytes\n")
    shutil.rmtree(folder, ignore_errors=True)
    building.rename(folder)
    return folder


# --- the measuring child --------------------------------------------------------------


def _child(mode: str, journal: str, work: str, archive: str, passphrase_file: str) -> None:
    import pyzipper  # type: ignore[import-untyped]  # noqa: F401  (the CLI imports it for an encrypted backup)

    import healing_journal.cli

    protection = ["--passphrase-file", passphrase_file] if mode.endswith("-encrypted") else ["--no-encryption"]
    start = time.perf_counter()
    if mode == "idle":
        pass
    elif mode == "copy":
        shutil.copytree(journal, Path(work) / "copy")
    elif mode.startswith("cli-backup"):
        status = healing_journal.cli.main(["backup", *protection, "-o", str(Path(work) / "b.zip"), "--folder", journal])
        assert status == 0
    elif mode.startswith("cli-restore"):
        given = protection if mode.endswith("-encrypted") else []
        status = healing_journal.cli.main(["restore", archive, *given, "--folder", str(Path(work) / "restored")])
        assert status == 0
    else:
        _page(mode, journal, work, archive)
    seconds = time.perf_counter() - start
    print(json.dumps({"peak": _peak_rss(), "seconds": seconds}))


def _page(mode: str, journal: str, work: str, archive: str) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["JOURNAL_DATA_DIR"] = journal
    os.environ["JOURNAL_TODAY"] = DEMO_TODAY.isoformat()
    os.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "pages" / "export_backup.py"), default_timeout=1800).run()
    if mode == "page-idle":
        return
    if mode == "page-backup-encrypted":
        at.text_input(key="backup_passphrase").input(PASSPHRASE)
        at.text_input(key="backup_passphrase_again").input(PASSPHRASE)
        at.text_input(key="backup_folder").input(work)
        at.button(key="save_backup").click().run()
        assert any(str(work) in s.value for s in at.success), [e.value for e in at.error]
    elif mode == "page-restore-encrypted":
        at.radio(key="restore_source").set_value("A file on this computer").run()
        at.text_input(key="restore_path").input(archive).run()
        at.text_input(key="restore_passphrase").input(PASSPHRASE)
        at.text_input(key="restore_folder").input(str(Path(work) / "restored"))
        next(b for b in at.button if b.label == "Restore").click().run()
        assert not at.error and not at.exception, [e.value for e in at.error] + [str(x) for x in at.exception]
        assert (Path(work) / "restored" / "journal.sqlite3").exists()
    else:
        raise ValueError(mode)


def _peak_rss() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _measure(mode: str, journal: Path, archive: Path, passphrase_file: Path) -> dict:
    work = scratch_dir(f"backup-{mode}")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JOURNAL_TODAY": DEMO_TODAY.isoformat()}
    command = [sys.executable, "-m", "benchmarks.backup", mode, str(journal), str(work), str(archive)]
    result = subprocess.run(
        [*command, str(passphrase_file)], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    shutil.rmtree(work, ignore_errors=True)
    if result.returncode != 0:
        raise RuntimeError(f"{mode} failed: {result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the benchmark ----------------------------------------------------------------------


CASES = [
    # (case, mode, baseline mode)
    ("CLI backup, not encrypted", "cli-backup", "idle"),
    ("CLI backup, encrypted (AES-256)", "cli-backup-encrypted", "idle"),
    ("CLI restore of the encrypted backup", "cli-restore-encrypted", "idle"),
    ("page: save backup into a folder (encrypted)", "page-backup-encrypted", "page-idle"),
    ("page: restore from a file path (encrypted)", "page-restore-encrypted", "page-idle"),
]


def run(quick: bool = False) -> list[dict]:
    from store.backup import write_backup_file

    runs = 1 if quick else 3
    size = (256 if quick else 2048) * 2**20
    journal = journal_fixture(size)
    photo_bytes = sum(p.stat().st_size for kind in ("photos", "thumbs") for p in (journal / kind).rglob("*.jpg"))
    inputs = scratch_dir("backup-inputs")
    passphrase_file = inputs / "passphrase.txt"
    passphrase_file.write_text(PASSPHRASE + "\n")
    archive = inputs / "encrypted.zip"
    log(f"  making the encrypted backup to restore ({photo_bytes / 2**30:.2f} GiB of photo files) ...")
    write_backup_file(journal, archive, passphrase=PASSPHRASE)
    modes = ["idle", "page-idle", "copy", *(mode for _, mode, _ in CASES)]
    samples: dict[str, list[dict]] = {mode: [] for mode in modes}
    for round_number in range(runs):  # interleaved: load from elsewhere falls on all alike
        for mode in modes:
            log(f"  round {round_number + 1}/{runs}: {mode} ...")
            samples[mode].append(_measure(mode, journal, archive, passphrase_file))
    shutil.rmtree(inputs, ignore_errors=True)

    def peak(mode: str) -> float:
        return median([s["peak"] for s in samples[mode]]) / 2**20

    def seconds(mode: str) -> float:
        return median([s["seconds"] for s in samples[mode]])

    rows = []
    for case, mode, baseline in CASES:
        value = peak(mode)
        rows.append(
            row(
                NAME,
                f"{case}, {photo_bytes / 2**30:.1f} GiB journal",
                value=value,
                unit="MiB",
                baseline=peak(baseline),
                baseline_label="idle CLI process" if baseline == "idle" else "page rendered, nothing clicked",
                target=f"peak < {TARGET_MB} MB",
                met=value * 2**20 < TARGET_MB * 10**6,
                runs=runs,
                samples=[s["peak"] / 2**20 for s in samples[mode]],
                baseline_samples=[s["peak"] / 2**20 for s in samples[baseline]],
                note=(
                    f"shutil.copytree of the same folder: peak {peak('copy'):.0f} MiB, {seconds('copy'):.1f} s; "
                    f"this took {seconds(mode):.1f} s ({seconds(mode) / seconds('copy'):.1f}x the copy)"
                ),
                seconds=seconds(mode),
                journal_bytes=photo_bytes,
            )
        )
    return rows


if __name__ == "__main__":
    _child(*sys.argv[1:6])
