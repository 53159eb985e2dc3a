"""The README's Python API example runs as documented, on a fresh folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import corpus

ROOT = Path(__file__).resolve().parent.parent


def _api_example() -> str:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Python API") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_python_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "IMG_0001.HEIC").write_bytes(corpus.jpeg())  # the content decides, not the name
    code = _api_example()
    code = code.replace("/path/to/new/folder", str(tmp_path / "restored"))
    code = code.replace("/path/to/folder", str(tmp_path / "journal"))
    scope: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), scope)
    journal, restored = scope["journal"], scope["restored"]
    assert len(journal.photos(area="face")) == 1
    assert [f.rule_id for f in journal.flags()] == [f.rule_id for f in restored.flags()]
    assert scope["view"].risk_factors == tuple(journal.risk_factors())
    assert scope["check"].ok and scope["check"].fingerprint == journal.signing_fingerprint()
    journal.close()
    restored.close()


def test_the_layout_names_every_package_with_its_job() -> None:
    text = (ROOT / "README.md").read_text()
    layout = text[text.index("## Layout") : text.index("## Benchmarks")]
    inits = [*ROOT.glob("*/__init__.py"), *ROOT.glob("store/*/__init__.py")]
    packages = sorted(str(init.parent.relative_to(ROOT)) for init in inits if init.parent.name != "tests")
    missing = [package for package in packages if f"\n{package}/ " not in layout]
    assert packages and not missing, missing
