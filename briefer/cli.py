"""The ``briefer`` command: headless subcommands on the same core and render as the window."""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from briefer import __version__
from briefer.core.problems import BrieferError, Problem, counted
from briefer.core.workspace import Workspace

if TYPE_CHECKING:
    from briefer.render.export import ExportResult

EXIT_OK = 0
EXIT_PROBLEMS = 2
SUBCOMMANDS = ("validate", "check", "cards", "templates", "export")


def _add_sources(
    parser: argparse.ArgumentParser, library: bool = True, templates: bool = True
) -> None:
    if library:
        parser.add_argument(
            "--library",
            metavar="DIR",
            action="append",
            type=Path,
            help="card library folder; may be given more than once; replaces the bundled library",
        )
    if templates:
        parser.add_argument(
            "--templates",
            metavar="DIR",
            type=Path,
            help="templates folder; replaces the bundled templates",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefer",
        description="Draft briefing memos from a library of cards; export to Word and PDF.",
        epilog="Without a command, `briefer` opens the window on the bundled library, and "
        "`briefer MEMO` opens the window on that memo. Exit status: 0 when all is well, 2 "
        "when a file has problems (each printed as path:line:col: message).",
    )
    parser.add_argument("--version", action="version", version=f"briefer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check cards, templates and memos; exit 2 on problems")
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="card files or folders, templates or memos to check (default: the library, "
        "the templates and the example memos in the library)",
    )
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 2)")
    _add_sources(p)

    p = sub.add_parser(
        "check",
        help="preflight a memo before it goes out: every check, each with a code; exit 2 on "
        "an error",
    )
    p.add_argument("memo", type=Path, metavar="MEMO", help="the memo file (*.brief.yaml)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 2)")
    p.add_argument(
        "--json",
        action="store_true",
        help="print the findings as a JSON list (code, severity, message, line, col, and "
        "section, card or field where they apply)",
    )
    _add_sources(p)

    p = sub.add_parser("cards", help="list the cards in the library")
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_sources(p, templates=False)

    p = sub.add_parser("templates", help="list the memo templates")
    p.add_argument("--json", action="store_true", help="print JSON")
    _add_sources(p, library=False)

    p = sub.add_parser(
        "export",
        help="export memos or briefing books to Word (.docx) or PDF (.pdf)",
        description="One file: -o names the output, its ending chooses the format. Several "
        "files (or -o naming a folder): each is written into the folder as NAME.pdf or "
        "NAME.docx (--format), in one process; a failed file does not stop the others, and "
        "the exit status is 2 when any failed.",
    )
    p.add_argument(
        "memo",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="the memos (*.brief.yaml) or briefing books (*.book.yaml) to export",
    )
    p.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT",
        help="the file to write (its ending chooses the format: .docx for Word or .pdf), "
        "or a folder for several files",
    )
    p.add_argument(
        "--format",
        choices=("pdf", "docx"),
        help="the format when exporting into a folder",
    )
    p.add_argument(
        "--reference-docx",
        type=Path,
        metavar="FILE",
        help="a Word file whose styles, page set-up, header and footer (a letterhead) the "
        "Word export starts from; overrides the template's reference_docx",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (a memo over its page limit, say) as errors: exit 2 and leave "
        "any earlier output as it was",
    )
    p.add_argument(
        "--draft",
        action="store_true",
        help="mark a memo as a draft: a pale diagonal DRAFT on every page and 'Draft "
        "printed' with the date and time in the foot line (a book's own draft: true does this)",
    )
    _add_sources(p)
    return parser


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


# The command's workspace, held until the process ends (``_leave``): freeing 100,000 cards
# one by one when the command returned took 0.1 s after its work was done.
_KEPT: list[Workspace] = []


def _workspace(args: argparse.Namespace) -> Workspace:
    workspace = Workspace.load(getattr(args, "library", None), getattr(args, "templates", None))
    _KEPT[:] = [workspace]
    return workspace


def cmd_validate(args: argparse.Namespace) -> int:
    from briefer.core.validate import (
        book_paths,
        memo_paths,
        memos_in,
        validate_paths,
        validate_workspace,
    )
    from briefer.render.book import book_page_problems
    from briefer.render.export import page_problem

    workspace = _workspace(args)
    if args.paths:
        problems = validate_paths(args.paths, workspace)
        memos = memo_paths(args.paths)
        books = book_paths(args.paths)
    else:
        problems = validate_workspace(workspace)
        memos = memos_in(workspace.library_dirs)
        books = book_paths(workspace.library_dirs)
    problems += [p for m in memos if (p := page_problem(m, workspace)) is not None]
    problems += [p for book in books for p in book_page_problems(book, workspace)]
    _print_problems(problems)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if errors or (args.strict and warnings):
        if not errors:
            print("--strict: warnings count as errors", file=sys.stderr)
        print(f"{counted(errors, 'error')}, {counted(warnings, 'warning')}", file=sys.stderr)
        return EXIT_PROBLEMS
    library = workspace.library
    checked = "" if args.paths else f", {counted(len(memos), 'example memo')} in the library"
    if books:
        checked += f", {counted(len(books), 'book')}"
    print(
        f"OK: {counted(len(library), 'card')} in {counted(len(library.files), 'file')}, "
        f"{counted(len(workspace.templates.templates), 'template')}{checked}"
        + (f", {counted(warnings, 'warning')}" if warnings else "")
    )
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from briefer.core.checks import preflight
    from briefer.core.memos import read_memo
    from briefer.core.problems import display_path
    from briefer.render.export import memo_pages

    workspace = _workspace(args)
    memo, problems = read_memo(args.memo)
    if memo is None or any(p.is_error for p in problems):
        raise BrieferError(f"cannot check {display_path(args.memo)}", problems)
    findings = preflight(memo, workspace.library, workspace.templates, pages=None)
    template = workspace.templates.get(memo.template)
    limited = template is not None and template.page_limit is not None
    # The pages are laid out only to hold them to a limit (a 2,600-page memo took 26 s).
    unusable = ("unknown-template", "card-missing", "card-invalid")
    if limited and not any(f.code in unusable for f in findings):
        pages = memo_pages(memo, workspace)
        findings = preflight(memo, workspace.library, workspace.templates, pages=pages)
    findings.sort(key=lambda f: (f.line, f.col))  # in file order, as an editor lists them
    if args.json:
        print(json.dumps([f.to_json() for f in findings], indent=2, ensure_ascii=False))
    else:
        shown = display_path(args.memo)
        for finding in findings:
            print(finding.problem(shown))
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    if not args.json:
        verdict = "ready to go" if not errors else "not ready"
        print(
            f"{counted(errors, 'error')}, {counted(warnings, 'warning')}: {verdict}",
            file=sys.stderr,
        )
    return EXIT_PROBLEMS if errors or (args.strict and warnings) else EXIT_OK


def cmd_cards(args: argparse.Namespace) -> int:
    workspace = _workspace(args)
    library = workspace.library
    _print_problems(library.problems)
    rows: list[dict[str, Any]] = [
        {
            "id": c.id,
            "kind": c.kind,
            "title": c.title,
            "tags": list(c.tags),
            "strategy": list(c.strategy),
            "marking": c.marking,
            "sources": [{k: v for k, v in vars(s).items() if v} for s in c.sources],
            "reviewed": c.reviewed,
            "body": c.body,
        }
        for c in library.cards.values()
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            extra = f"  -> {', '.join(row['strategy'])}" if row["strategy"] else ""
            print(f"{row['id']:<40} {row['kind']:<14} ({row['marking']}) {row['title']}{extra}")
        print(counted(len(rows), "card"), file=sys.stderr)
    return EXIT_PROBLEMS if library.errors else EXIT_OK


def cmd_templates(args: argparse.Namespace) -> int:
    workspace = Workspace.load(None, args.templates)
    templates = workspace.templates
    _print_problems(templates.problems)
    rows: list[dict[str, Any]] = [
        {
            "id": t.id,
            "name": t.name,
            "description": t.description,
            "page_limit": t.page_limit,
            "sections": [
                {"id": s.id, "title": s.title, "kinds": list(s.kinds)} for s in t.sections
            ],
        }
        for t in templates.templates.values()
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            n = row["page_limit"]
            limit = f" (limit {counted(n, 'page')})" if n else ""
            print(f"{row['id']:<20} {row['name']}{limit}")
            print(f"{'':<20} {row['description']}")
            for s in row["sections"]:
                print(f"{'':<22}- {s['id']}: {s['title']} [{', '.join(s['kinds'])}]")
    return EXIT_PROBLEMS if any(p.is_error for p in templates.problems) else EXIT_OK


def _export_one(
    source: Path,
    out: Path,
    workspace: Workspace,
    args: argparse.Namespace,
) -> ExportResult:
    from briefer.core.cards import BOOK_SUFFIX
    from briefer.render.export import export_memo

    reference: Path | None = args.reference_docx
    if source.name.endswith(BOOK_SUFFIX):  # (the book code is loaded only for a book)
        from briefer.render.book import export_book

        if reference is not None:
            raise BrieferError(
                "--reference-docx applies to a memo; a book's tabs use their templates' own"
            )
        if args.draft:
            raise BrieferError(
                "--draft applies to a memo; a book is marked a draft by its own "
                "'draft: true' (Mark every page DRAFT, in the window)"
            )
        return export_book(source, out, workspace, strict=args.strict)
    draft = None
    if args.draft:
        import datetime as dt

        from briefer.core.books import draft_stamp

        draft = draft_stamp(dt.datetime.now())
    return export_memo(
        source, out, workspace, reference_docx=reference, strict=args.strict, draft=draft
    )


def _pages(result: ExportResult) -> str:
    pages = result.pages
    return f" ({counted(pages, 'page')})" if pages is not None else ""


def _print_warnings(result: ExportResult, draft: bool, source: Path, several: bool) -> None:
    """The checks' warnings as ``path:line:col: warning: ...`` (like ``validate``); the
    export's own as ``warning: ...``, naming the file when ``several`` are exported; and
    a memo that went out unmarked although its checks find errors."""
    for problem in result.problems:
        print(problem, file=sys.stderr)
    named = f"{source}: " if several else ""
    for warning in result.warnings:
        print(f"warning: {named}{warning}", file=sys.stderr)
    if result.unready and not draft:
        print(
            f"warning: {named}not ready: the checks find {counted(result.unready, 'error')} "
            f"(briefer check {source} lists them), and the file is not marked as a draft "
            "(export --draft marks every page)",
            file=sys.stderr,
        )


def cmd_export(args: argparse.Namespace) -> int:
    sources: list[Path] = args.memo
    out: Path = args.output
    to_folder = len(sources) > 1 or out.is_dir() or str(out).endswith(("/", os.sep))
    workspace = _workspace(args)
    texts = workspace.keep_texts()
    try:
        if not to_folder:
            result = _export_one(sources[0], out, workspace, args)
            _print_warnings(result, args.draft, sources[0], several=False)
            print(f"Wrote {out}{_pages(result)}")
            return EXIT_OK
        return _export_many(sources, out, workspace, args)
    finally:
        texts.close()


def _export_many(
    sources: list[Path], folder: Path, workspace: Workspace, args: argparse.Namespace
) -> int:
    """Each file into ``folder``, one after the other in this process; a line per file."""
    from briefer.core.cards import BOOK_SUFFIX, MEMO_SUFFIX

    if args.format is None:
        raise BrieferError("exporting into a folder: say which format with --format pdf|docx")
    if not folder.is_dir():
        if not folder.parent.is_dir():
            raise BrieferError(f"folder {folder.parent} does not exist")
        folder.mkdir()
    names: dict[str, Path] = {}
    failed = 0
    total = len(sources)
    for number, source in enumerate(sources, start=1):
        stem = source.name.removesuffix(MEMO_SUFFIX).removesuffix(BOOK_SUFFIX)
        stem = stem.removesuffix(".yaml")
        target = folder / f"{stem}.{args.format}"
        prefix = f"[{number}/{total}] {source}"
        if target.name in names:
            failed += 1
            print(
                f"briefer: {source}: not written: {names[target.name]} is also named "
                f"{target.name}; export one of them on its own",
                file=sys.stderr,
            )
            continue
        names[target.name] = source
        try:
            result = _export_one(source, target, workspace, args)
        except BrieferError as exc:
            failed += 1
            print(f"briefer: {source}: {exc}", file=sys.stderr)
            print(f"{prefix}: failed", flush=True)
            continue
        except OSError as exc:
            failed += 1
            print(f"briefer: {source}: {exc.strerror or exc}", file=sys.stderr)
            print(f"{prefix}: failed", flush=True)
            continue
        _print_warnings(result, args.draft, source, several=True)
        print(f"{prefix} -> {target}{_pages(result)}", flush=True)
    done = total - failed
    print(f"Exported {done} of {total}" + (f"; {failed} failed" if failed else ""))
    return EXIT_PROBLEMS if failed else EXIT_OK


def run_gui(argv: Sequence[str], whole_process: bool = False) -> int:
    """Open the window (plain ``briefer`` or ``briefer MEMO``). ``whole_process``: this is
    the process's own entry point, which ends as soon as the window has closed."""
    try:
        from briefer.gui.app import end_qt, run
    except ImportError as exc:
        print(
            f"Briefer's window could not load Qt ({exc}). Reinstall with `make run`, or use "
            "the commands: briefer validate | cards | templates | export MEMO -o OUT",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    code = run(list(argv))
    if whole_process:
        end_qt()
    return code


def _not_a_command(word: str) -> str | None:
    """Why ``briefer WORD`` should not open the window: a mistyped command, or no such file."""
    if word.startswith("-") or Path(word).exists():
        return None
    import difflib

    close = difflib.get_close_matches(word, SUBCOMMANDS, n=1, cutoff=0.6)
    if close:
        return f"briefer: {word!r} is not a command; did you mean {close[0]!r}?"
    return (
        f"briefer: {word!r} is neither a command ({', '.join(SUBCOMMANDS)}) nor an existing "
        "memo file; see briefer --help"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """The ``briefer`` command. Run as the process's own entry point (no ``argv``), it
    ends the process itself when done (see ``_leave``)."""
    if argv is not None:
        return _main(argv, False)
    _leave(_main(sys.argv[1:], True))


def _leave(code: int) -> NoReturn:
    """End the process without Python freeing every object one by one first: 30 ms of a
    one-off export, and a second after the window closes on 100,000 cards. Nothing is
    lost by it. Every file Briefer writes is complete (atomic: written, flushed, renamed)
    before its call returns; the window's close has saved or asked about every document,
    released its locks, waited for its threads and synced the settings; and what was
    printed is flushed here."""
    for stream in (sys.stdout, sys.stderr):
        # (a reader that has gone, as in `briefer cards | head`, or a closed stream)
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def _one_memo_export(args: argparse.Namespace) -> bool:
    """One memo exported: its process ends once the file is written, so the cycle
    collector paused while the modules loaded (``briefer.__main__``) can stay off; what
    it would free, the end of the process frees. A batch or a book collects as usual."""
    from briefer.core.cards import BOOK_SUFFIX

    return (
        args.command == "export"
        and len(args.memo) == 1
        and not args.memo[0].name.endswith(BOOK_SUFFIX)
    )


def _main(argv: Sequence[str], whole_process: bool) -> int:
    argv = list(argv)
    if not argv or argv[0] not in (*SUBCOMMANDS, "-h", "--help", "--version"):
        problem = _not_a_command(argv[0]) if argv else None
        if problem:
            print(problem, file=sys.stderr)
            return EXIT_PROBLEMS
        gc.enable()  # (paused while the modules loaded: see briefer.__main__)
        return run_gui(argv, whole_process)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not _one_memo_export(args):
        gc.enable()
    handlers = {
        "validate": cmd_validate,
        "check": cmd_check,
        "cards": cmd_cards,
        "templates": cmd_templates,
        "export": cmd_export,
    }
    try:
        code = handlers[args.command](args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # `briefer cards | head`: the reader has what it wanted. Quietly stop writing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except BrieferError as exc:
        print(f"briefer: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        print("briefer: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"briefer: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return EXIT_PROBLEMS
