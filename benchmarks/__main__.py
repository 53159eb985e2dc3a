"""`python -m benchmarks [--quick] [--only NAME ...]`: run the benchmarks by hand.

Writes results/<benchmark>-latest.json and a timestamped results/run-*.json,
then rewrites the figures table in benchmarks/README.md from the latest
result of every benchmark (so `--only` updates just its own rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import math
import sys
import time
import traceback

from benchmarks import HERE, RESULTS, log, machine_facts

BENCHMARKS = ["ingest", "memory", "history", "pdf", "startup", "navigation", "backup", "phone"]
README = HERE / "README.md"
TABLE_START = "<!-- figures:start -->"
TABLE_END = "<!-- figures:end -->"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs: a smoke test, not figures to quote")
    parser.add_argument(
        "--only",
        action="append",
        choices=BENCHMARKS,
        metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}",
    )
    args = parser.parse_args(argv)
    chosen = args.only or BENCHMARKS
    RESULTS.mkdir(parents=True, exist_ok=True)
    facts = machine_facts()
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    log(f"Machine: {facts['cores']} cores, Python {facts['python']}, Pillow {facts['pillow']}")
    everything = {"started": stamp, "quick": args.quick, "machine": facts, "benchmarks": {}}
    failed = False
    for name in chosen:
        module = importlib.import_module(f"benchmarks.{name}")
        log(f"[{name}] {module.TITLE}")
        start = time.perf_counter()
        try:
            rows = module.run(quick=args.quick)
            error = None
        except Exception as exc:  # one broken benchmark must not hide the others
            traceback.print_exc()
            rows, error = [], f"{type(exc).__name__}: {exc}"
            failed = True
        took = time.perf_counter() - start
        result = {
            "benchmark": name,
            "title": module.TITLE,
            "finished": _now(),
            "quick": args.quick,
            "seconds": took,
            "machine": facts,
            "error": error,
            "rows": rows,
        }
        everything["benchmarks"][name] = result
        (RESULTS / f"{name}-latest.json").write_text(json.dumps(result, indent=2, default=str))
        for line in rows:
            log("    " + _summary(line))
        log(f"  ({took:.0f} s)")
    run_file = RESULTS / f"run-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    run_file.write_text(json.dumps(everything, indent=2, default=str))
    _write_readme()
    log(f"Raw results: {run_file}; table: {README}")
    return 1 if failed else 0


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _summary(line: dict) -> str:
    ratio = f", ratio {line['ratio']:.2f}" if line.get("ratio") is not None else ""
    return f"{line['case']}: {_value(line['value'], line['unit'])}{ratio} -> {_met(line['met'])}"


def _value(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, int):
        return f"{value} {unit}"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"
    return f"{value:.1f} {unit}" if abs(value) < 10 else f"{value:.0f} {unit}"


def _met(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "-"}[met]


def _write_readme() -> None:
    text = README.read_text() if README.exists() else f"# Benchmarks\n\n{TABLE_START}\n{TABLE_END}\n"
    # Rows of a benchmark that has no result on this machine (its results/ are
    # gitignored, e.g. in a fresh checkout) are kept as they were.
    earlier = text.split(TABLE_START, 1)[1].split(TABLE_END, 1)[0].splitlines() if TABLE_START in text else []
    results = {}
    for name in BENCHMARKS:
        path = RESULTS / f"{name}-latest.json"
        if path.exists():
            results[name] = json.loads(path.read_text())
    lines = [TABLE_START, ""]
    machine = next((line for line in earlier if line.startswith("Machine: ")), None)
    if results:
        facts = list(results.values())[-1]["machine"]
        machine = (
            f"Machine: {facts['cores']} cores, {facts.get('processor') or '?'}; Python {facts['python']}, "
            f"Pillow {facts['pillow']}, pillow-heif {facts.get('pillow_heif')}, numpy {facts['numpy']}, "
            f"Streamlit {facts.get('streamlit')}, fpdf2 {facts.get('fpdf')}; {facts['platform']}."
        )
    if machine:
        lines += [machine, ""]
    lines.append("| Benchmark | Case | Median | Baseline (median) | Ratio | Target | Met? | Runs | Notes |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    for name in BENCHMARKS:
        if name in results:
            lines += _table_rows(results[name])
        else:
            lines += [line for line in earlier if line.startswith(f"| {name} |")]
    lines += ["", TABLE_END]
    table = "\n".join(lines)
    if TABLE_START in text and TABLE_END in text:
        head, rest = text.split(TABLE_START, 1)
        _, tail = rest.split(TABLE_END, 1)
        text = head + table + tail
    else:
        text += "\n" + table + "\n"
    README.write_text(text)


def _table_rows(result: dict) -> list[str]:
    lines = []
    when = result["finished"][:16].replace("T", " ") + (" (quick)" if result["quick"] else "")
    if result.get("error"):
        lines.append(f"| {result['benchmark']} | failed ({when}) | - | - | - | - | - | - | {result['error']} |")
    for line in result["rows"]:
        baseline = _value(line.get("baseline"), line["unit"])
        if line.get("baseline_label") and baseline != "-":
            baseline += f" ({line['baseline_label']})"
        ratio = f"{line['ratio']:.2f}" if line.get("ratio") is not None else "-"
        note = "; ".join(part for part in (line.get("note") or "", f"run {when}") if part)
        lines.append(
            f"| {result['benchmark']} | {line['case']} | {_value(line['value'], line['unit'])} | {baseline} "
            f"| {ratio} | {line.get('target') or '-'} | {_met(line['met'])} | {line.get('runs') or '-'} | {note} |"
        )
    return lines


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
