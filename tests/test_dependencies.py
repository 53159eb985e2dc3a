"""Exact pins, and every import declared (tools/pins.py)."""

from __future__ import annotations

from pathlib import Path

from tools import pins

TOP_LEVEL_MODULES = [path.stem for path in pins.ROOT.glob("*.py")]


def test_every_requirement_is_pinned_exactly() -> None:
    unpinned = sorted(name for name, version in pins.declared().items() if not version)
    assert not unpinned, f"pin these with ==: {unpinned}"


def test_constraints_pin_every_installed_package_the_requirements_pull_in() -> None:
    assert (pins.ROOT / pins.CONSTRAINTS).read_text() == pins.current_constraints(), (
        "constraints.txt is out of date with the installed packages: run .venv/bin/python -m tools.pins"
    )


def test_the_constraints_agree_with_the_requirements() -> None:
    constrained = dict(
        line.split("==", 1) for line in (pins.ROOT / pins.CONSTRAINTS).read_text().splitlines() if "==" in line
    )
    assert {name: constrained.get(name) for name in pins.declared()} == pins.declared()


def test_every_third_party_import_comes_from_a_declared_package() -> None:
    missing = pins.undeclared_imports(pins.our_sources(), pins.declared(), [*pins.OUR_PACKAGES, *TOP_LEVEL_MODULES])
    assert not missing, f"declare the package providing these in requirements*.txt: {missing}"


def test_the_import_check_sees_an_undeclared_package(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    # pluggy comes with pytest but is declared nowhere; fhir.resources is asked for lazily.
    sample.write_text(
        "import os\nfrom store import Journal\n\ndef late():\n    import pluggy\n"
        '    pytest.importorskip("fhir.resources.R4B")\n'
    )
    assert pins.undeclared_imports([sample], pins.declared(), ["store"]) == {"pluggy": str(sample)}
    assert "fhir" in pins.imports_of(sample)
    without_fhir = {name for name in pins.declared() if name != "fhir-resources"}
    assert set(pins.undeclared_imports([sample], without_fhir, ["store"])) == {"pluggy", "fhir"}
