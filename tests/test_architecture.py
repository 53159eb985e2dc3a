"""The layers, as the import statements show them.

Lower layers never import upper ones; the domain and the exporters know
nothing of Streamlit or SQLite. Every import is checked, also those inside
functions (lazy imports), by reading the source.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Package -> the project packages it may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "recovery": set(),
    # Image measurement science: pure, beside the recovery domain.
    "photometry": set(),
    # Signed manifests (hashing, Ed25519): pure, below the store and the exporters; a verdict's
    # words come from the catalogue (recovery.language, the areas' names).
    "signing": {"recovery"},
    "store": {"recovery", "photometry", "signing"},
    "charts": {"recovery"},
    "export": {"recovery", "charts", "signing"},
    "healing_journal": {"recovery", "store", "export", "photometry", "signing"},
    # The server's access gate: below the app, beside the store (the page's language: recovery.language).
    "access": {"store", "recovery"},
    # The phone's listener: beside the access gate, above the journal's workspace; no Streamlit.
    "phone": {"recovery", "store", "healing_journal", "access"},
    "ui": {"recovery", "store", "charts", "healing_journal", "access", "photometry", "phone"},
    "pages": {"recovery", "store", "charts", "ui", "healing_journal", "photometry", "phone"},
    # The demo lays the printed reference card (photometry.card) into its photos.
    "demo": {"recovery", "store", "photometry"},
    # Project tooling (the pinned package list) stands apart from the app.
    "tools": set(),
}
PROJECT = set(ALLOWED) | {"tests", "benchmarks", "journal_app", "journal_asgi", "launch"}
NO_FRAMEWORKS = {"recovery", "photometry", "export", "charts", "signing"}
# The phone page is served without Streamlit (plain HTML forms over HTTPS).
NO_STREAMLIT = {"phone"}
FRAMEWORKS = {"streamlit", "sqlite3", "sqlite_utils"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_below_it(package: str) -> None:
    wrong = {}
    for path in _modules(package):
        upward = (_imports(path) & PROJECT) - ALLOWED[package] - {package}
        if upward:
            wrong[str(path.relative_to(ROOT))] = sorted(upward)
    assert not wrong, wrong


@pytest.mark.parametrize("package", sorted(NO_FRAMEWORKS))
def test_domain_charts_and_exporters_know_nothing_of_streamlit_or_sqlite(package: str) -> None:
    wrong = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & FRAMEWORKS)
        for path in _modules(package)
        if _imports(path) & FRAMEWORKS
    }
    assert not wrong, wrong


def test_the_phone_listener_knows_nothing_of_streamlit() -> None:
    wrong = {
        str(path.relative_to(ROOT)): "streamlit"
        for package in NO_STREAMLIT
        for path in _modules(package)
        if "streamlit" in _imports(path)
    }
    assert not wrong, wrong


def test_pages_hold_no_sql() -> None:
    for path in _modules("pages"):
        text = path.read_text()
        assert "execute(" not in text and "SELECT " not in text, path


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def late():\n    from export.pdf import summary_pdf\n    import streamlit as st\n")
    assert {"export", "streamlit"} <= _imports(sample)
