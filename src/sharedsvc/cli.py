"""The ``sharedsvc`` command: a thin shell over the library.

Exit codes: 0 success (every payload valid), 1 a payload or check failed,
2 usage or input/output error. Heavy modules are imported inside each
command so that ``sharedsvc --help`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

_EPILOG = """\
examples:
  sharedsvc list
  sharedsvc show adult-social-care/contact
  sharedsvc validate adult-social-care/contact referral.json
  sharedsvc validate adult-social-care/contact --format json *.json
  cat referral.json | sharedsvc validate adult-social-care/contact -
  sharedsvc validate adult-social-care/contact --fhir bundle.json
  sharedsvc to-fhir adult-social-care/contact referral.json > bundle.json
  sharedsvc from-fhir adult-social-care/contact bundle.json
  sharedsvc schema adult-social-care/contact > contact.schema.json
  sharedsvc export --check
  sharedsvc case replay history.json --at 2026-02-01T09:00:00Z
  sharedsvc check

exit status: 0 success, 1 invalid payload or failed check, 2 usage or I/O error.
"""


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"sharedsvc: error: {message}\n")
    raise SystemExit(EXIT_USAGE)


def _design_or_fail(design_id: str) -> Any:
    from sharedsvc.design import DesignError
    from sharedsvc.registry import UnknownDesignError, default_registry

    try:
        return default_registry().get(design_id)
    except UnknownDesignError as exc:
        _fail(str(exc))
    except DesignError as exc:
        _fail(f"design file is malformed: {exc}")


# -- commands ----------------------------------------------------------------------------------


def cmd_list(args: argparse.Namespace) -> int:
    from sharedsvc.registry import default_registry

    designs = default_registry().designs()
    if args.format == "json":
        _print_json(
            [
                {"id": d.id, "title": d.title, "version": d.version, "status": d.status.value}
                for d in designs
            ]
        )
        return EXIT_OK
    width = max((len(d.id) for d in designs), default=0)
    for d in designs:
        print(f"{d.id:{width}}  {d.version:8} {d.status.value:10} {d.title}")
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    design = _design_or_fail(args.design)
    if args.format == "json":
        _print_json(design.model_dump(mode="json", by_alias=True, exclude_none=True))
        return EXIT_OK
    p = design.process
    print(f"{design.title}  ({design.id} {design.version}, {design.status.value})\n")
    print(design.summary.strip() + "\n")
    print("Legislation:")
    for ref in design.legislation:
        print(f"  - {ref.title}{' ' + ref.section if ref.section else ''}  {ref.url}")
    print("Actors: " + ", ".join(a.id for a in design.actors))
    print(
        f"States: {', '.join(s.id for s in p.states)} (initial {p.initial}; "
        f"final {', '.join(p.final)})"
    )
    print("Transitions:")
    for t in p.transitions:
        print(f"  {t.event}: {', '.join(t.from_)} -> {t.to}  [{', '.join(t.actors)}]")
    if p.clocks:
        print("Clocks:")
        for c in p.clocks:
            print(
                f"  {c.id}: {c.limit} {c.unit.value} from {', '.join(c.start)} to "
                f"{', '.join(c.stop)} ({c.authority.basis.value})"
            )
    print(f"Record: {design.record.model}")
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from sharedsvc.validation import Limits, validate

    _design_or_fail(args.design)
    limits = Limits(max_bytes=args.max_bytes, max_depth=args.max_depth)
    reports = []
    io_error = False
    check: Any = validate
    if args.fhir:
        from sharedsvc.fhir import mapped_designs, validate_fhir

        if args.design not in mapped_designs():
            _fail(
                f"design {args.design} has no FHIR mapping yet; mapped designs: "
                + ", ".join(mapped_designs())
            )
        check = validate_fhir
    for name in args.files:
        if name == "-":
            data: Any = sys.stdin.buffer.read(limits.max_bytes + 1)
            report = check(args.design, data, limits=limits, source="<stdin>")
        else:
            report = check(args.design, Path(name), limits=limits, source=name)
        io_error |= any(i.code == "payload.unreadable" for i in report.issues)
        reports.append(report)
    if args.format == "json":
        _print_json(
            {"valid": all(r.valid for r in reports), "reports": [r.to_dict() for r in reports]}
        )
    else:
        for report in reports:
            print(report.to_text())
        bad = sum(not r.valid for r in reports)
        print(f"{len(reports) - bad} valid, {bad} invalid")
    if io_error:
        return EXIT_USAGE
    return EXIT_OK if all(r.valid for r in reports) else EXIT_INVALID


def _fhir_design_or_fail(design_id: str) -> None:
    _design_or_fail(design_id)
    from sharedsvc.fhir import mapped_designs

    if design_id not in mapped_designs():
        _fail(
            f"design {design_id} has no FHIR mapping yet; mapped designs: "
            + ", ".join(mapped_designs())
        )


def cmd_to_fhir(args: argparse.Namespace) -> int:
    from sharedsvc.fhir import FhirMappingError, to_fhir_dict
    from sharedsvc.validation import validate

    _fhir_design_or_fail(args.design)
    report = validate(args.design, Path(args.file), source=args.file)
    if not report.valid or report.record is None:
        print(report.to_text(), file=sys.stderr)
        return EXIT_USAGE if "payload.unreadable" in report.codes else EXIT_INVALID
    try:
        _print_json(to_fhir_dict(report.record, args.design))
    except FhirMappingError as exc:
        print(f"cannot map to FHIR: {exc}", file=sys.stderr)
        return EXIT_INVALID
    return EXIT_OK


def cmd_from_fhir(args: argparse.Namespace) -> int:
    from sharedsvc.fhir import FhirInputError, from_fhir

    _fhir_design_or_fail(args.design)
    try:
        record = from_fhir(Path(args.file), args.design)
    except FhirInputError as exc:
        print(exc.report.to_text(), file=sys.stderr)
        return EXIT_USAGE if "payload.unreadable" in exc.report.codes else EXIT_INVALID
    sys.stdout.write(record.model_dump_json(by_alias=True, exclude_none=True, indent=2) + "\n")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from sharedsvc.export import dump_json, record_schema

    sys.stdout.write(dump_json(record_schema(_design_or_fail(args.design))))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from sharedsvc import export

    out = Path(args.out) if args.out else None
    if args.check:
        diffs = export.check(out)
        if diffs:
            sys.stdout.write("".join(diffs))
            print(
                f"\n{len(diffs)} generated file(s) in schemas/ are out of date. "
                "Fix with: sharedsvc export",
                file=sys.stderr,
            )
            return EXIT_INVALID
        print("schemas/ is up to date")
        return EXIT_OK
    changed = export.write(out)
    print(f"wrote {len(changed)} changed file(s)" + (": " + ", ".join(changed) if changed else ""))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from sharedsvc.registry import default_registry

    problems = default_registry().check()
    for problem in problems:
        print(problem)
    ids = default_registry().ids
    print(f"{len(ids)} design(s) checked, {len(problems)} problem(s)")
    return EXIT_INVALID if problems else EXIT_OK


def _config(path: str | None) -> Any:
    if path is None:
        return None
    import yaml
    from pydantic import ValidationError

    from sharedsvc.process import CouncilConfig

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return CouncilConfig.model_validate(data or {})
    except (OSError, yaml.YAMLError, ValidationError, UnicodeDecodeError) as exc:
        _fail(f"cannot read council configuration {path}: {exc}")


def _at(text: str | None) -> Any:
    from datetime import UTC, datetime

    if text is None:
        return datetime.now(UTC)
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        _fail(f"--at must be an ISO 8601 date-time, e.g. 2026-02-01T09:00:00Z (got {text!r})")
    if at.tzinfo is None:
        _fail("--at must include a time zone, e.g. Z or +01:00")
    return at


def _print_case(case: Any, at: Any, fmt: str) -> None:
    deadlines = case.deadlines()
    overdue = {id(d) for d in deadlines if d.overdue(at)}
    if fmt == "json":
        _print_json(
            {
                "caseId": case.case_id,
                "design": case.design.id,
                "state": case.state,
                "closed": case.closed,
                "allowedEvents": case.allowed_events(),
                "at": at.isoformat(),
                "deadlines": [{**d.to_dict(), "overdue": id(d) in overdue} for d in deadlines],
            }
        )
        return
    print(
        f"case {case.case_id} ({case.design.id}): state '{case.state}'"
        + (" (closed)" if case.closed else "")
    )
    if not case.closed:
        print("  allowed events: " + (", ".join(case.allowed_events()) or "none"))
    for d in deadlines:
        due = d.due_date.isoformat() if d.due_date else d.due.isoformat()
        if d.running:
            status = "OVERDUE" if id(d) in overdue else "running"
        else:
            status = "met" if d.met else "missed"
        print(f"  clock {d.clock}: {d.limit} {d.unit.value} ({d.basis.value}), due {due}, {status}")


def cmd_case_replay(args: argparse.Namespace) -> int:
    from sharedsvc.process import load_history

    at = _at(args.at)
    case, report = load_history(Path(args.history), config=_config(args.config))
    if case is None:
        print(report.to_text(), file=sys.stderr)
        unreadable = any(i.code == "payload.unreadable" for i in report.issues)
        return EXIT_USAGE if unreadable else EXIT_INVALID
    _print_case(case, at, args.format)
    return EXIT_OK


def cmd_case_apply(args: argparse.Namespace) -> int:
    from sharedsvc.process import ProcessError, load_history

    case, report = load_history(Path(args.history), config=_config(args.config))
    if case is None:
        print(report.to_text(), file=sys.stderr)
        return EXIT_INVALID
    at = _at(args.at)
    try:
        case.apply(args.event, args.actor, at)
    except ProcessError as exc:
        print(f"refused [{exc.code}]: {exc}", file=sys.stderr)
        return EXIT_INVALID
    Path(args.history).write_text(json.dumps(case.to_history(), indent=2) + "\n", encoding="utf-8")
    _print_case(case, at, args.format)
    return EXIT_OK


# -- parser ------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from sharedsvc._version import __version__

    parser = argparse.ArgumentParser(
        prog="sharedsvc",
        description="Shared service designs for UK councils and their health and care "
        "partners: list designs, validate payloads, export schemas, run cases.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sharedsvc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def fmt(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="output format (default: text)",
        )

    p = sub.add_parser("list", help="list the designs")
    fmt(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", help="describe a design")
    p.add_argument("design", help="design id, e.g. adult-social-care/contact")
    fmt(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser(
        "validate",
        help="validate JSON payloads against a design",
        description="Validate canonical JSON payloads. Exit 0 if all are valid, 1 if any is "
        "invalid, 2 on a usage or I/O error.",
        epilog="example: sharedsvc validate adult-social-care/contact --format json a.json",
    )
    p.add_argument("design", help="design id")
    p.add_argument("files", nargs="+", metavar="FILE", help="JSON files ('-' for stdin)")
    p.add_argument(
        "--max-bytes",
        type=int,
        default=10 * 1024 * 1024,
        help="largest payload accepted (default 10 MiB)",
    )
    p.add_argument(
        "--max-depth",
        type=int,
        default=64,
        help="deepest nesting of objects and arrays accepted (default 64)",
    )
    p.add_argument(
        "--fhir",
        action="store_true",
        help="the files are FHIR R4 / UK Core (a Bundle or one resource), not canonical JSON",
    )
    fmt(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser(
        "to-fhir",
        help="map a canonical record to a UK Core FHIR Bundle",
        description="Validate a canonical JSON record and print it as a FHIR R4 "
        "Bundle conforming to NHS England UK Core.",
    )
    p.add_argument("design", help="design id")
    p.add_argument("file", help="canonical JSON file")
    p.set_defaults(func=cmd_to_fhir)

    p = sub.add_parser(
        "from-fhir",
        help="map a FHIR Bundle back to the canonical record",
        description="Read a FHIR R4 Bundle (or one resource) and print the "
        "canonical JSON record it carries.",
    )
    p.add_argument("design", help="design id")
    p.add_argument("file", help="FHIR JSON file")
    p.set_defaults(func=cmd_from_fhir)

    p = sub.add_parser("schema", help="print a design's JSON Schema")
    p.add_argument("design", help="design id")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("export", help="regenerate schemas/ (or --check it is up to date)")
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; print a diff and exit 1 if schemas/ is out of date",
    )
    p.add_argument("--out", help="output folder (default: the schemas/ folder of the checkout)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("check", help="cross-check every design, model, example and value set")
    p.set_defaults(func=cmd_check)

    case = sub.add_parser("case", help="run process cases from history files")
    case_sub = case.add_subparsers(dest="case_command", metavar="SUBCOMMAND", required=True)
    p = case_sub.add_parser(
        "replay", help="rebuild a case from its history; print state and deadlines"
    )
    p.add_argument("history", help="history file (JSON)")
    p.add_argument("--at", help="the moment to judge deadlines at (default: now)")
    p.add_argument("--config", help="council configuration (YAML: nation, clock_limits)")
    fmt(p)
    p.set_defaults(func=cmd_case_replay)
    p = case_sub.add_parser("apply", help="append an event to a history file")
    p.add_argument("history", help="history file (JSON); rewritten in place")
    p.add_argument("event", help="event name")
    p.add_argument("--actor", required=True, help="actor id raising the event")
    p.add_argument("--at", help="when it happened (default: now)")
    p.add_argument("--config", help="council configuration (YAML)")
    fmt(p)
    p.set_defaults(func=cmd_case_apply)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        result: int = args.func(args)
    except BrokenPipeError:  # e.g. `sharedsvc schema X | head`
        sys.stderr.close()
        return EXIT_OK
    return result


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
