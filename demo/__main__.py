"""python -m demo [--folder DIR] [--days 28] [--if-missing] [--print-folder]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from demo.generate import build_demo, default_demo_folder
from store.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo", description="Create a demo journal of synthetic data.")
    parser.add_argument(
        "--folder", type=Path, default=None, help="where to create it (default: beside the real journal)"
    )
    parser.add_argument("--days", type=int, default=28, help="days of recovery to generate (default 28)")
    parser.add_argument("--areas", default="face", help="comma-separated areas (default face)")
    parser.add_argument("--photo-every-day", action="store_true", help="a photo on every logged day (for benchmarks)")
    parser.add_argument("--if-missing", action="store_true", help="do nothing if the demo journal exists")
    parser.add_argument("--print-folder", action="store_true", help="print the default demo folder and exit")
    args = parser.parse_args(argv)
    settings = Settings.from_environment()
    folder = args.folder or default_demo_folder(settings)
    if args.print_folder:
        print(folder)
        return 0
    try:
        created = build_demo(
            folder,
            today=settings.today(),
            days=args.days,
            areas=args.areas.split(","),
            if_missing=args.if_missing,
            photo_every_day=args.photo_every_day,
        )
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"Demo journal {'created' if created else 'already present'} in {folder} ({settings.today()}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
