"""The ``workforce`` command: validate a data folder, render a committee pack, make sample data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import DataError, WorkbenchError


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    sep = "  ".join("-" * w for w in widths)
    body = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join([line, sep, *body])


def _report_problems(where: str, exc: DataError) -> int:
    """Print every problem of a DataError as a table; the exit status for bad input (1)."""
    problems = exc.problems
    print(f"{where}: {len(problems)} problem{'s' if len(problems) != 1 else ''} found\n")
    print(_problem_table(problems))
    return 1


def cmd_validate(args: argparse.Namespace) -> int:
    from .data import load_dataset

    try:
        dataset = load_dataset(args.data_dir)
    except DataError as exc:
        return _report_problems(args.data_dir, exc)
    rows = [[s.name, f"{s.rows:,}", " to ".join(s.date_range) if s.date_range else ""] for s in dataset.provenance()]
    print(f"{args.data_dir}: {len(rows)} contract file(s) loaded, no problems\n")
    print(_table(rows, ["file", "rows", "dates"]))
    if dataset.warnings:
        n = len(dataset.warnings)
        print(f"\n{n} warning{'s' if n != 1 else ''}: role titles counted as 'other' (map them in role_groups.csv)\n")
        print(_problem_table(dataset.warnings))
    return 0


def _problem_table(problems) -> str:
    rows = [
        [p.file, "" if p.row is None else p.row, p.column or "", "" if p.value is None else repr(p.value), p.expected]
        for p in problems
    ]
    return _table(rows, ["file", "row", "column", "value", "expected"])


def cmd_pack(args: argparse.Namespace) -> int:
    from .pack import render_pack

    try:
        result = render_pack(
            args.pack,
            reports_dir=args.reports_dir,
            jobs=args.jobs,
            pdf=args.pdf,
            only=args.only,
            progress=True,
            dask_scheduler=args.dask_scheduler,
        )
    except WorkbenchError as exc:
        print(f"workforce pack: {exc}", file=sys.stderr)
        return 2
    for run in result.runs:
        print(f"  {run.status:12}  {run.label}")
    print(f"Pack written to {result.folder / 'index.html'}")
    if result.failed:
        for run in result.failed:
            print(f"FAILED {run.label}: {run.error}", file=sys.stderr)
        return 1
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    from .synthetic import write_sample

    counts = write_sample(Path(args.data_dir), seed=args.seed)
    for name, n in counts.items():
        print(f"wrote {name}: {n:,} rows")
    return 0


def cmd_synth_staff(args: argparse.Namespace) -> int:
    from .synthetic import write_large_staff

    rows = write_large_staff(Path(args.file), n_employments=args.employments, seed=args.seed)
    print(f"wrote {args.file}: {rows:,} employments")
    return 0


def cmd_census(args: argparse.Namespace) -> int:
    from .census import census_measures, read_returns

    try:
        returns = read_returns(args.paths)
    except DataError as exc:
        return _report_problems("workforce census", exc)
    table = census_measures(returns)
    if args.reconcile:
        return _print_reconciliation(table)
    if args.csv:
        table.to_csv(args.csv, index=False)
        print(f"wrote {args.csv}: {len(table)} row{'s' if len(table) != 1 else ''} (one per authority and year)")
        return 0
    shown = table.astype(object).where(table.notna(), "")
    print(_table([[str(v) for v in row] for row in shown.itertuples(index=False)], list(table.columns)))
    return 0


def _print_reconciliation(table) -> int:
    """Own measures beside DfE's published rows: one line per year, then every difference and its cause."""
    from .census import reconciliation
    from .census.checks import INDICATORS_FILE
    from .dfe import load_dfe_indicators

    published = load_dfe_indicators(INDICATORS_FILE)
    checked = reconciliation.reconcile(table, published)
    print(reconciliation.summary_sentence(checked, reconciliation.unpublished_years(table, published)))
    rows = reconciliation.differences(checked)
    if len(rows):
        print(_table([[str(v) for v in row] for row in rows.itertuples(index=False)],
                     ["year", "measure", "own", "DfE", "difference", "likely cause"]))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="workforce", description="Workforce Workbench command line")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check a data folder against the data contract")
    p.add_argument("data_dir")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("pack", help="render a committee pack from a pack file")
    p.add_argument("pack")
    p.add_argument("--reports-dir", default="reports", help="where packs are written (default: reports)")
    p.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: one per core)")
    p.add_argument("--pdf", action="store_true", help="also print the combined pack to PDF with headless Chromium")
    p.add_argument("--only", action="append", metavar="NAME", help="render only this section (repeatable)")
    p.add_argument(
        "--dask-scheduler",
        metavar="ADDRESS",
        help="run the notebooks on this Dask cluster (tcp://host:8786) instead of local worker processes",
    )
    p.set_defaults(func=cmd_pack)
    p = sub.add_parser("synth", help="regenerate the synthetic staff.csv and campaign.csv in a data folder")
    p.add_argument("data_dir")
    p.add_argument("--seed", type=int, default=2011)
    p.set_defaults(func=cmd_synth)
    p = sub.add_parser("synth-staff", help="write a large synthetic staff.csv (default 1,000,000 employments)")
    p.add_argument("file")
    p.add_argument("--employments", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_synth_staff)
    p = sub.add_parser("census", help="DfE's measures from CSWW census XML returns, one row per authority and year")
    p.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER", help="CSWW XML returns, or folders of them")
    p.add_argument("--csv", metavar="OUT.csv", help="write the measures to this CSV instead of the screen")
    p.add_argument(
        "--reconcile", action="store_true", help="compare with DfE's published figures and list every difference"
    )
    p.set_defaults(func=cmd_census)
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
