"""The clinical basis is in the repository, and the code cites it, not files outside it.

A clinician reviewing the rules from the repository alone must be able to read
their sources: docs/clinical-basis.md holds every rule and number with its source,
and each section the code names by title exists there.
"""

from __future__ import annotations

import re
from pathlib import Path

from recovery.flags import RULES

ROOT = Path(__file__).resolve().parent.parent
BASIS = ROOT / "docs" / "clinical-basis.md"
CODE_FOLDERS = ("recovery", "export", "photometry", "charts", "store", "ui", "pages", "tests")
# A citation of a section: docs/clinical-basis.md, "Cold sores" (or in brackets).
CITATION = re.compile(r'docs/clinical-basis\.md[,:]? \(?"([^"]+)"')


def _sources() -> list[Path]:
    return [path for folder in CODE_FOLDERS for path in (ROOT / folder).rglob("*.py")]


def _headings() -> set[str]:
    return {line.lstrip("#").strip() for line in BASIS.read_text().splitlines() if line.startswith("## ")}


def test_no_source_cites_a_file_outside_the_repository() -> None:
    outside = [path.name for path in _sources() if "clinical-notes.md" in path.read_text() and path != Path(__file__)]
    assert outside == []


def test_every_section_the_code_cites_exists() -> None:
    headings = _headings()
    cited = {(path.name, title) for path in _sources() for title in CITATION.findall(path.read_text())}
    assert cited, "the code cites the clinical basis by section"
    missing = sorted((name, title) for name, title in cited if title not in headings)
    assert missing == []


def test_every_source_a_rule_names_is_in_the_sources_table() -> None:
    text = BASIS.read_text()
    for short in ("Martin & Huang", "Chu", "Friedmann", "Soltani-Arabshahi", "Vaghela", "Microneedling patient guide"):
        assert short in text
    for rule in RULES.values():
        for author in re.findall(r"([A-Z][a-z]+(?:-[A-Z][a-z]+)?) (?:et al\.|&)", rule.source):
            assert author in text, (rule.rule_id, author)
