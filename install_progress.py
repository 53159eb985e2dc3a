"""Show pip's progress in a few readable lines: `pip install ... 2>&1 | python install_progress.py --log FILE`.

The first run of run.sh installs some fifty packages (about two minutes). pip's
own output is some 150 lines of requirement specifiers, wheel tags and index
warnings; with --quiet it is nothing at all, and the patient cannot tell a
slow download from a hang. This filter prints one numbered line per package
as its download starts, with its size, then one line while pip installs them,
and passes pip's errors through. Everything pip said goes to the log file,
for when something fails.

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

_DOWNLOADING = re.compile(r"^\s*Downloading (?P<file>\S+) \((?P<size>[^)]+)\)\s*$")
_CACHED = re.compile(r"^\s*Using cached (?P<file>\S+) \((?P<size>[^)]+)\)\s*$")
_LOCAL = re.compile(r"^\s*Processing (?P<file>\S+)")
_BUILDING = re.compile(r"^\s*Building wheel for (?P<name>\S+)")
_INSTALLING = re.compile(r"^\s*Installing collected packages: (?P<names>.+)$")
_INSTALLED = re.compile(r"^\s*Successfully installed (?P<names>.+)$")
_ERROR = re.compile(r"^\s*(ERROR|error)\b")
# A long install: said when it starts, since pip is silent while it unpacks.
_MANY = 5


def package_of(file_name: str) -> str:
    """'pillow_heif-1.8.1-cp311-...whl' -> 'pillow-heif 1.8.1'; 'foo-bar-1.0.tar.gz' -> 'foo-bar 1.0'."""
    name = Path(file_name).name
    if name.endswith(".whl"):
        dist, version = name.split("-")[:2]
    else:
        stem = re.sub(r"\.(tar\.gz|tar\.bz2|zip)$", "", name)
        dist, _, version = stem.rpartition("-")
    return f"{dist.replace('_', '-')} {version}".strip()


def condense(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(stream, text) for each line worth showing: 'out' for progress, 'err' for pip's errors."""
    fetched = 0
    installing = 0
    for raw in lines:
        line = raw.rstrip("\r\n")
        if match := (_DOWNLOADING.match(line) or _CACHED.match(line) or _LOCAL.match(line)):
            file_name = match["file"]
            if file_name.endswith(".metadata"):
                continue  # pip reads a package's metadata first; the package itself follows
            fetched += 1
            yield "out", f"  {fetched:>3}  {package_of(file_name):<40} {_source(line, match)}"
        elif match := _BUILDING.match(line):
            yield "out", f"       building {match['name']} from its source (this can take a while)"
        elif match := _INSTALLING.match(line):
            installing = len(match["names"].split(", "))
            wait = " (about a minute)" if installing > _MANY else ""
            yield "out", f"       installing {_count(installing)}{wait}..."
        elif match := _INSTALLED.match(line):
            yield "out", f"       installed {_count(len(match['names'].split()))}."
        elif _ERROR.match(line):
            yield "err", line
    if not fetched and not installing:
        yield "out", "       already up to date."


def _source(line: str, match: re.Match[str]) -> str:
    if match.re is _DOWNLOADING:
        return match["size"]
    return "from the download cache" if match.re is _CACHED else "from a file on this computer"


def _count(number: int) -> str:
    return f"{number} package{'s' if number != 1 else ''}"


def main(argv: list[str] | None = None, source: Iterable[str] | None = None, out: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--log", type=Path, required=True, help="where to keep everything pip said (appended)")
    args = parser.parse_args(argv)
    source = source or sys.stdin
    out = out or sys.stdout
    with open(args.log, "a", encoding="utf-8") as log:

        def logged(lines: Iterable[str]) -> Iterator[str]:
            for line in lines:
                log.write(line)
                log.flush()
                yield line

        for stream, text in condense(logged(source)):
            print(text, file=out if stream == "out" else sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
