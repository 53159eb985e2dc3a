"""The app lock's passphrase file, the shared delay after wrong tries, and the CLI way out."""

from __future__ import annotations

import json
import os
import stat
import threading
import time as real_time
from pathlib import Path

import pytest

from access.throttle import MAX_DELAY_S, Throttle, Throttles, delay
from access.unlocked import UnlockedBrowsers
from healing_journal.cli import main as cli_main
from store import app_lock
from store.errors import InvalidEntry

PASSPHRASE = "blue heron at dawn"
# Small scrypt parameters where only the file handling is under test.
FAST = app_lock.ScryptParameters(n=2**10, r=8, p=1)


def test_set_and_verify(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    assert not app_lock.is_set(folder)
    assert not app_lock.verify(folder, PASSPHRASE), "no lock: nothing verifies"
    app_lock.set_passphrase(folder, PASSPHRASE)
    assert app_lock.is_set(folder)
    assert app_lock.verify(folder, PASSPHRASE)
    for wrong in ("blue heron at dusk", PASSPHRASE.upper(), "", PASSPHRASE + " "):
        assert not app_lock.verify(folder, wrong), wrong


def test_only_a_slow_salted_hash_is_stored(tmp_path: Path) -> None:
    app_lock.set_passphrase(tmp_path, PASSPHRASE)
    text = app_lock.lock_path(tmp_path).read_text()
    assert PASSPHRASE not in text
    record = json.loads(text)
    assert record["kdf"] == "scrypt"
    assert (record["n"], record["r"], record["p"], record["length"]) == (2**15, 8, 1, 32)
    assert len(bytes.fromhex(record["salt"])) == 16 and len(bytes.fromhex(record["hash"])) == 32
    app_lock.set_passphrase(tmp_path, PASSPHRASE)
    again = json.loads(app_lock.lock_path(tmp_path).read_text())
    assert again["salt"] != record["salt"] and again["hash"] != record["hash"], "a fresh salt every time"


@pytest.mark.skipif(os.name != "posix", reason="files have no POSIX modes on this platform")
def test_lock_file_is_private(tmp_path: Path) -> None:
    folder = tmp_path / "journal"
    app_lock.set_passphrase(folder, PASSPHRASE, FAST)
    assert stat.S_IMODE(app_lock.lock_path(folder).stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_stored_parameters_are_used(tmp_path: Path) -> None:
    app_lock.set_passphrase(tmp_path, PASSPHRASE, FAST)
    assert json.loads(app_lock.lock_path(tmp_path).read_text())["n"] == 2**10
    assert app_lock.verify(tmp_path, PASSPHRASE)


@pytest.mark.parametrize(
    ("new", "repeated", "message"),
    [
        ("short", "short", "too short"),
        ("long enough", "long enougH", "differ"),
        ("x" * (app_lock.MAX_LENGTH + 1), "x" * (app_lock.MAX_LENGTH + 1), "too long"),
    ],
)
def test_unusable_passphrases_are_refused_with_the_reason(new: str, repeated: str, message: str) -> None:
    with pytest.raises(InvalidEntry, match=message):
        app_lock.check_new_passphrase(new, repeated)


def test_damaged_lock_file_keeps_the_app_locked(tmp_path: Path) -> None:
    app_lock.set_passphrase(tmp_path, PASSPHRASE, FAST)
    app_lock.lock_path(tmp_path).write_text("{not json")
    assert app_lock.is_set(tmp_path) and not app_lock.verify(tmp_path, PASSPHRASE)


def test_cli_shows_and_removes_the_lock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app_lock.set_passphrase(tmp_path, PASSPHRASE, FAST)
    assert cli_main(["app-lock", "--folder", str(tmp_path)]) == 0
    assert "on" in capsys.readouterr().out
    assert cli_main(["app-lock", "--remove", "--folder", str(tmp_path)]) == 0
    assert "removed" in capsys.readouterr().out
    assert not app_lock.is_set(tmp_path)
    assert cli_main(["app-lock", "--remove", "--folder", str(tmp_path)]) == 0
    assert "had no app lock" in capsys.readouterr().out


# --- the shared delay ----------------------------------------------------------------------------


class FakeTime:
    """A clock that only moves when the throttle sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_delay_grows_and_is_capped() -> None:
    assert [delay(n) for n in range(0, 6)] == [0, 1, 2, 4, 8, 16]
    assert delay(7) == MAX_DELAY_S and delay(1000) == MAX_DELAY_S


def test_each_wrong_try_makes_the_next_wait_longer_and_a_right_one_resets() -> None:
    time = FakeTime()
    throttle = Throttle(clock=time.clock, sleep=time.sleep)
    assert not throttle.attempt(lambda: False)
    assert throttle.wait_s() == 1 and throttle.failures == 1
    assert not throttle.attempt(lambda: False)
    assert time.slept == [1]
    assert throttle.wait_s() == 2
    assert throttle.attempt(lambda: True)
    assert time.slept == [1, 2]
    assert throttle.failures == 0 and throttle.wait_s() == 0
    assert throttle.attempt(lambda: True)
    assert time.slept == [1, 2], "no wait after a right passphrase"


def test_no_wait_once_the_delay_has_passed_by_itself() -> None:
    time = FakeTime()
    throttle = Throttle(clock=time.clock, sleep=time.sleep)
    throttle.attempt(lambda: False)
    time.now += 5
    throttle.attempt(lambda: False)
    assert time.slept == []


def test_parallel_guesses_wait_their_turn() -> None:
    """Tries from several sessions at once are checked one after another, each after its delay."""
    time = FakeTime()
    guard = threading.Lock()

    def sleep(seconds: float) -> None:
        with guard:
            time.sleep(seconds)

    throttle = Throttle(clock=time.clock, sleep=sleep)
    checking = threading.Lock()
    overlaps: list[bool] = []

    def wrong() -> bool:
        if not checking.acquire(blocking=False):
            overlaps.append(True)  # another session's guess is being checked right now
            return False
        try:
            real_time.sleep(0.01)  # the slow hash
        finally:
            checking.release()
        return False

    threads = [threading.Thread(target=throttle.attempt, args=(wrong,)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert throttle.failures == 6
    assert sorted(time.slept) == [1, 2, 4, 8, 16], "every guess after the first waited, longer each time"
    assert not overlaps


# --- wrong tries are remembered across restarts -----------------------------------------------------


def wrong_tries(throttle: Throttle, count: int) -> None:
    for _ in range(count):
        assert not throttle.attempt(lambda: False)


def test_a_restart_keeps_a_sixty_second_wait(tmp_path: Path) -> None:
    time = FakeTime()
    wrong_tries(Throttle(clock=time.clock, sleep=time.sleep, folder=tmp_path), 7)
    restarted = Throttle(clock=time.clock, sleep=time.sleep, folder=tmp_path)  # a new server on the same folder
    assert restarted.failures == 7 and restarted.wait_s() == MAX_DELAY_S
    time.now += 20
    assert restarted.wait_s() == MAX_DELAY_S - 20
    time.slept.clear()
    assert not restarted.attempt(lambda: False)
    assert time.slept == [MAX_DELAY_S - 20], "the first try after the restart waited out the rest"
    assert restarted.failures == 8


def test_the_count_goes_on_after_a_restart(tmp_path: Path) -> None:
    time = FakeTime()
    wrong_tries(Throttle(clock=time.clock, sleep=time.sleep, folder=tmp_path), 2)
    time.now += 100
    restarted = Throttle(clock=time.clock, sleep=time.sleep, folder=tmp_path)
    assert restarted.wait_s() == 0, "the wait was over before the restart"
    wrong_tries(restarted, 1)
    assert restarted.wait_s() == 4, "the third wrong try in a row"


def test_a_right_passphrase_resets_the_stored_count(tmp_path: Path) -> None:
    time = FakeTime()
    throttle = Throttle(clock=time.clock, sleep=time.sleep, folder=tmp_path)
    wrong_tries(throttle, 3)
    assert throttle.attempt(lambda: True)
    restarted = Throttle(clock=time.clock, sleep=time.sleep, folder=tmp_path)
    assert restarted.failures == 0 and restarted.wait_s() == 0


def test_a_clock_set_back_cannot_lengthen_the_wait(tmp_path: Path) -> None:
    time = FakeTime()
    wrong_tries(Throttle(clock=time.clock, sleep=time.sleep, folder=tmp_path), 7)
    time.now -= 86_400  # the computer's clock put back a day
    restarted = Throttle(clock=time.clock, sleep=time.sleep, folder=tmp_path)
    assert restarted.wait_s() == MAX_DELAY_S, "never longer than the longest delay"
    wrong_tries(Throttle(clock=time.clock, sleep=time.sleep, folder=tmp_path / "other"), 1)
    time.now -= 3600
    assert Throttle(clock=time.clock, sleep=time.sleep, folder=tmp_path / "other").wait_s() == 1, (
        "nor longer than the delay the count earned"
    )


@pytest.mark.skipif(os.name != "posix", reason="files have no POSIX modes on this platform")
def test_the_tries_file_is_private_and_written_whole(tmp_path: Path) -> None:
    time = FakeTime()
    throttle = Throttle(clock=time.clock, sleep=time.sleep, folder=tmp_path)
    wrong_tries(throttle, 2)
    path = tmp_path / app_lock.TRIES_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    record = json.loads(path.read_text())
    assert record["failures"] == 2 and record["next_try"] == time.now + 2, "a wall-clock deadline"
    assert [p.name for p in tmp_path.iterdir()] == [app_lock.TRIES_NAME], "no temporary file left"


def test_a_damaged_tries_file_is_not_a_lock_out(tmp_path: Path) -> None:
    (tmp_path / app_lock.TRIES_NAME).write_text("{not json")
    time = FakeTime()
    throttle = Throttle(clock=time.clock, sleep=time.sleep, folder=tmp_path)
    assert throttle.failures == 0 and throttle.wait_s() == 0


def test_removing_the_lock_forgets_the_wrong_tries(tmp_path: Path) -> None:
    app_lock.set_passphrase(tmp_path, PASSPHRASE, FAST)
    wrong_tries(Throttle(folder=tmp_path, sleep=lambda _: None), 1)
    assert (tmp_path / app_lock.TRIES_NAME).exists()
    app_lock.remove(tmp_path)
    assert not (tmp_path / app_lock.TRIES_NAME).exists()


def test_one_throttle_per_folder(tmp_path: Path) -> None:
    throttles = Throttles()
    assert throttles.for_folder(tmp_path / "a") is throttles.for_folder(tmp_path / "a")
    assert throttles.for_folder(tmp_path / "a") is not throttles.for_folder(tmp_path / "b")


# --- the idle time ----------------------------------------------------------------------------------


def test_idle_time_is_fifteen_minutes_unless_chosen(tmp_path: Path) -> None:
    assert app_lock.idle_s(tmp_path) == 15 * 60
    app_lock.set_passphrase(tmp_path, PASSPHRASE, FAST)
    assert app_lock.idle_s(tmp_path) == 15 * 60
    app_lock.set_idle_s(tmp_path, 5 * 60)
    assert app_lock.idle_s(tmp_path) == 5 * 60
    assert json.loads(app_lock.lock_path(tmp_path).read_text())["idle_s"] == 300, "kept with the lock"
    app_lock.set_passphrase(tmp_path, "another passphrase", FAST)
    assert app_lock.idle_s(tmp_path) == 5 * 60, "a new passphrase keeps the chosen idle time"
    assert app_lock.verify(tmp_path, "another passphrase")


@pytest.mark.parametrize("seconds", [0, -5, 24 * 3600 + 1])
def test_unusable_idle_times_are_refused(tmp_path: Path, seconds: int) -> None:
    app_lock.set_passphrase(tmp_path, PASSPHRASE, FAST)
    with pytest.raises(InvalidEntry, match="idle time"):
        app_lock.set_idle_s(tmp_path, seconds)


def test_idle_time_needs_a_lock(tmp_path: Path) -> None:
    with pytest.raises(InvalidEntry, match="no app lock"):
        app_lock.set_idle_s(tmp_path, 300)


def test_a_damaged_idle_time_falls_back_to_the_default(tmp_path: Path) -> None:
    app_lock.set_passphrase(tmp_path, PASSPHRASE, FAST)
    record = json.loads(app_lock.lock_path(tmp_path).read_text())
    app_lock.lock_path(tmp_path).write_text(json.dumps({**record, "idle_s": "soon"}))
    assert app_lock.idle_s(tmp_path) == 15 * 60
    assert app_lock.verify(tmp_path, PASSPHRASE)


# --- which browsers are unlocked ----------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def test_an_unlocked_browser_stays_open_while_it_is_used() -> None:
    clock = Clock()
    unlocked = UnlockedBrowsers(clock=clock)
    assert not unlocked.is_open("a", idle_s=60)
    unlocked.unlock("a")
    for _ in range(5):
        clock.now += 59
        assert unlocked.is_open("a", idle_s=60), "each page run starts the idle time again"
    assert not unlocked.is_open("b", idle_s=60), "another browser is still locked"


def test_an_idle_browser_is_locked_again() -> None:
    clock = Clock()
    unlocked = UnlockedBrowsers(clock=clock)
    unlocked.unlock("a")
    clock.now += 60
    assert not unlocked.is_open("a", idle_s=60)
    clock.now -= 30
    assert not unlocked.is_open("a", idle_s=60), "once locked it stays locked"


def test_looking_without_using_does_not_keep_a_browser_open() -> None:
    clock = Clock()
    unlocked = UnlockedBrowsers(clock=clock)
    unlocked.unlock("a")
    for _ in range(2):
        clock.now += 20
        assert unlocked.is_open("a", idle_s=60, touch=False)
    clock.now += 20
    assert not unlocked.is_open("a", idle_s=60, touch=False), "60 s without a page run"


def test_lock_now_locks_every_browser() -> None:
    unlocked = UnlockedBrowsers(clock=Clock())
    unlocked.unlock("a")
    unlocked.unlock("b")
    unlocked.lock_all()
    assert not unlocked.is_open("a", idle_s=60) and not unlocked.is_open("b", idle_s=60)
