"""The ``planx`` command: a thin click layer over :mod:`planx.api`."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Iterator

import click

from . import __version__, rules
from .inputs import find_inputs
from .pipeline import read as load_document
from .batch import build_dataset, plan
from .document import text_of
from .errors import ExtractError
from .log import show_on_stderr
from .writers import TABLE_FORMATS, WRITERS


class _Group(click.Group):
    """planx's command group: a planx error raised by any command, such as a missing extra,
    ends as one ``Error: …`` line with exit code 1 rather than a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ExtractError as err:
            raise click.ClickException(str(err)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="planx")
@click.option("-v", "--verbose", is_flag=True,
              help="Show planx's log on stderr, the reading libraries' warnings among it (a PDF's malformed fonts, "
                   "say); without it a run only counts the documents that needed a workaround.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool):
    """Turn Chinese government policy plans into a comparable dataset.

    \b
    Example:
        planx --verbose extract corpus -o output
    """
    if verbose:
        # Undone when the command ends, so a process that runs several (a test) is quiet again.
        ctx.call_on_close(show_on_stderr())


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory to write the tables to.")
@click.option("--format", "fmt", type=click.Choice(sorted(WRITERS)), default=None,
              help="Output format  [default: csv; parquet-dataset with --engine dask]")
@click.option("--rules", "rules_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Use the rules in this directory instead of the bundled ones.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes; the output is the same whatever the number.")
@click.option("--force", is_flag=True, help="Extract every file again, even those unchanged since the last run into OUTPUT.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where to extract: this machine's processes, or a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="With --engine dask: the scheduler (tcp://host:8786); without it a local cluster of --jobs "
                   "workers is started.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar on stderr (default: only when stderr is a terminal).")
def extract(paths, output, fmt, rules_dir, jobs, force, engine, scheduler, progress):
    """Extract targets, deadlines, areas, agencies and measures from PATHS.

    PATHS are files, folders (searched recursively) or glob patterns. A file that cannot be
    read is reported on one line and recorded in the errors table; the others are still
    processed, and the exit code is 1 when any failed. A file whose bytes and rules have
    not changed since the last run into OUTPUT is not extracted again (see --force).
    In folders, hidden files, Office lock files (~$…) and files of other types are skipped
    and counted; finding nothing to read is an error. OUTPUT/run.json records the files
    written: those an earlier run wrote in another format are removed.

    \b
    Example:
        planx extract corpus -o output --jobs 2
    """
    # For this command only: the choice ends when click's context closes, so a process that
    # invokes the CLI (a test, a notebook) keeps its own rules afterwards.
    click.get_current_context().with_resource(rules.using(rules_dir))
    try:
        inputs = find_inputs(paths)
        planned = plan(inputs.files)
    except ExtractError as err:
        raise click.ClickException(str(err)) from None
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler goes with --engine dask")
    fmt = fmt or ("parquet-dataset" if engine == "dask" else "csv")
    show = sys.stderr.isatty() if progress is None else progress
    try:
        with _os_errors_in_one_line(), _executor(engine, scheduler, jobs) as executor, \
                Progress(len(planned), show) as bar:
            report = build_dataset(planned, output, fmt=fmt, workers=jobs, executor=executor, force=force,
                                   skipped=inputs.skipped, on_outcome=bar.advance)
    except ExtractError as err:
        raise click.ClickException(str(err)) from None
    for error in report.errors:
        click.echo(f"error: {error['error']}", err=True)
    if report.removed:
        names = ", ".join(path.relative_to(output).as_posix() for path in report.removed)
        click.echo(f"note: removed the tables the earlier {report.removed_format} run wrote to {output}: {names}",
                   err=True)
    counts = ", ".join(f"{report.counts[t]} {t}" for t in ("targets", "deadlines", "areas", "agencies", "measures"))
    reused = f", {report.reused} unchanged and reused" if report.reused else ""
    worked_around = (f", {report.with_workarounds} read with workarounds (planx --verbose lists the warnings)"
                     if report.with_workarounds else "")
    click.echo(f"{report.extracted} documents extracted{reused}, {len(report.errors)} failed{worked_around}: {counts} "
               f"-> {output}{report.skipped_summary()}", err=True)
    sys.exit(1 if report.errors else 0)


def _executor(engine: str, scheduler: str | None, workers: int):
    """The Dask engine's executor, or None: build_dataset then uses local processes."""
    if engine == "dask":
        from .distributed import dask_executor

        return dask_executor(scheduler, workers)
    return contextlib.nullcontext()


@contextlib.contextmanager
def _os_errors_in_one_line() -> Iterator[None]:
    """End any OS error that planx has not put in a line of its own (one met writing a review
    page, say) as one ``Error:`` line naming the path, with exit code 1, not a traceback."""
    try:
        yield
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        raise click.ClickException(f"{where}{err.strerror or err}; check the path and its permissions") from None


class Progress:
    """A progress bar on stderr: documents done, failures, documents per second, time left.

    tqdm draws it; disabled, it draws nothing, so a log file or a pipe gets no bar.
    """

    def __init__(self, total: int, enabled: bool):
        from tqdm import tqdm

        self.failed = 0
        self._bar = tqdm(total=total, unit="doc", desc="extracting", file=sys.stderr, disable=not enabled,
                         dynamic_ncols=True)

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self._bar.close()

    def advance(self, outcome) -> None:
        """Count one finished document."""
        self.failed += outcome.error is not None
        self._bar.set_postfix_str(f"{self.failed} failed", refresh=False)
        self._bar.update(1)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def inspect(file):
    """Show what planx read from FILE: its facts, the heading tree with each section's roles,
    tables, boxes, and how many spans each span group holds (candidates and rows).

    \b
    Example:
        planx inspect corpus/suzhou-quality-plan-14fyp.txt
    """
    from .document import BOXES, DOCUMENT_FACTS, HEADINGS, SECTIONS, TABLES, table_grid

    try:
        doc = load_document(file)
    except ExtractError as err:
        raise click.ClickException(str(err)) from None
    for key in DOCUMENT_FACTS:
        value = getattr(doc._, key)
        click.echo(f"{key:>12}: {'' if value is None else value}")
    click.echo(f"{'format':>12}: {doc._.format}, {len(text_of(doc))} chars")
    click.echo(f"{'span groups':>12}: " + ", ".join(f"{name} {len(spans)}" for name, spans in doc.spans.items()))
    click.echo("\nheadings:")
    roles = {section.start: section._.role for section in doc.spans[SECTIONS]}
    for head in doc.spans[HEADINGS]:
        role = f"  ({', '.join(roles[head.start])})" if roles.get(head.start) else ""
        click.echo(f"{'  ' * head._.level}{head.text}  [{head.start}:{head.end}]{role}")
    for n, table in enumerate(doc.spans[TABLES], 1):
        grid = table_grid(doc, table)
        click.echo(f"\ntable {n}: {table._.title or '(untitled)'} — {len(grid) - 1} rows × {len(grid[0])} columns")
        for row in grid:
            click.echo("  " + " | ".join(cell.text for cell in row))
    for box in doc.spans[BOXES]:
        click.echo(f"\n专栏: {box._.title}  [{box.start}:{box.end}]")


@cli.command()
@click.argument("output_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--by", "by", type=click.Choice(["doc", "genre", "all"]), default="doc", show_default=True,
              help="Break the scores down per document, per genre (from --catalog), or give the totals only.")
@click.option("--catalog", type=click.Path(dir_okay=False, path_type=Path), default=Path("corpus/catalog.csv"),
              show_default=True, help="CSV with doc_id and genre columns, for --by genre and genre floors.")
@click.option("--floors", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="YAML of F1 floors (ALL and genres → table → floor); exit with 1 when a score is below one.")
@click.option("--input-format", type=click.Choice(sorted(WRITERS)), default=None,
              help="The format OUTPUT_DIR was written in (default: the one its run.json records, else csv).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--min-f1", type=float, default=None, help="Exit with 1 when any table's F1 is below this.")
@click.option("--errors/--no-errors", "show_errors", default=False, help="List misses, spurious rows and wrong attributes.")
def evaluate(output_dir, gold_dir, by, catalog, floors, input_format, fmt, min_f1, show_errors):
    """Score OUTPUT_DIR (written by `planx extract`) against gold JSONL in GOLD_DIR.

    Precision, recall and F1 per table, and attribute accuracy over the matched rows, as
    DESIGN.md specifies; per document, per genre or in total (--by).

    \b
    Example:
        planx extract corpus -o output && planx evaluate output tests/gold --by genre
    """
    import json

    from .evaluate import below_floors, by_group, evaluate as score, failing, load_catalog, load_floors, summary

    try:
        report = score(output_dir, gold_dir, input_format)
        genres = load_catalog(catalog) if by == "genre" or (floors and _names_genres(floors)) else {}
        limits = load_floors(floors) if floors else {}
    except ExtractError as err:
        raise click.ClickException(str(err)) from None
    shown = {"doc": report, "genre": by_group(report, genres), "all": by_group(report, {})}[by]
    if by == "all":
        shown = {table: {"ALL": groups["ALL"]} for table, groups in shown.items()}
    data = summary(report)
    if fmt == "json":
        if by != "doc":
            for table, groups in summary(shown).items():
                data[table]["groups"] = groups["documents"]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(_score_table(shown, by))
        if show_errors:
            for table in report:
                for kind in ("misses", "spurious", "attribute_errors"):
                    for row in data[table][kind]:
                        click.echo(f"  {table} {kind[:-2] if kind != 'misses' else 'miss'}: "
                                   f"{json.dumps(row, ensure_ascii=False)}")
    problems = below_floors({**by_group(report, genres)}, limits) if limits else []
    if min_f1 is not None:
        problems += [f"ALL {table}: F1 below {min_f1}" for table in failing(report, min_f1)]
    for problem in problems:
        click.echo(f"below the floor: {problem}", err=True)
    if problems:
        sys.exit(1)


def _names_genres(floors: Path) -> bool:
    """Whether a floors file names any group besides ALL (so the catalog is needed)."""
    from .evaluate import load_floors

    try:
        return any(group != "ALL" for group in load_floors(floors))
    except ExtractError:
        return False


def _score_table(report, by: str) -> str:
    """The scores as an aligned text table: a block per table, a line per document or genre."""
    from .comparison import display_width
    from .evaluate import ATTRIBUTES, rate

    label = {"doc": "document", "genre": "genre", "all": ""}[by]
    lines = []
    for table, groups in report.items():
        width = max([display_width(label)] + [display_width(g) for g in groups]) + 2
        attributes = ATTRIBUTES[table]
        head = f"{table:<10} {label}" + " " * (width - display_width(label))
        lines.append(head + "    P      R      F1     tp    fp    fn  " + "  ".join(attributes))
        for group, s in groups.items():
            accuracy = "  ".join(f"{rate(s.accuracy(c), 2):>{len(c)}}" for c in attributes)
            lines.append(f"{'':<10} {group}" + " " * (width - display_width(group))
                         + f"{rate(s.precision):>6} {rate(s.recall):>6} {rate(s.f1):>6} {s.tp:>5} {s.fp:>5} {s.fn:>5}  "
                         + accuracy)
        lines.append("")
    return "\n".join(lines).rstrip()


@cli.command()
@click.argument("output_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "report", type=click.Path(dir_okay=False, path_type=Path), default="review.html",
              show_default=True, help="The index page to write; the documents' pages go in NAME_files/ beside it. "
                   "Its folder is created when missing.")
@click.option("--format", "--input-format", "fmt", type=click.Choice(sorted(WRITERS)), default=None,
              help="The format OUTPUT_DIR was written in (default: the one its run.json records, else csv).")
@click.option("--source-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Find each input file here, by its file name, instead of at its recorded source_path.")
def review(output_dir, report, fmt, source_dir):
    """Write an index page and one HTML page per document showing every row of OUTPUT_DIR in its text.

    The index (the -o file) lists the documents with their row counts and links to each
    document's page in the folder beside it (review.html -> review_files/). On a page every
    extracted span is highlighted by table in the document's text, with its fields on hover
    and click, and a side panel lists the rows with filters by table, kind and rule; clicking
    a row jumps to its place in the text. The pages need no network and open from disk.

    On a document's page each row can be accepted, rejected or edited, and an item planx
    missed added by selecting its words; the browser keeps these decisions, and "export
    gold" downloads them for `planx gold merge`.

    The tables do not hold the documents' full text, so each document is read again from
    the source_path in its documents table (relative to the current directory, or found
    in --source-dir). A file that is missing, has changed since extraction (sha256) or
    now reads differently is reported, shown without highlights, and exits with 1; its
    rows are still listed.

    \b
    Example:
        planx extract corpus -o output && planx review output -o review.html
    """
    from .review import write_report

    try:
        with _os_errors_in_one_line():
            problems = write_report(output_dir, report, fmt, source_dir)
    except ExtractError as err:
        raise click.ClickException(str(err)) from None
    for doc_id, problem in problems.items():
        click.echo(f"warning: {doc_id}: text not shown: {problem}", err=True)
    if problems and not source_dir:
        click.echo("hint: pass --source-dir DIR when the input files have moved", err=True)
    click.echo(f"wrote {report}", err=True)
    sys.exit(1 if problems else 0)


@cli.group()
def gold():
    """Gold answers corrected in the review page: fold them into a gold folder for `planx evaluate`.

    \b
    Example:
        planx gold merge plan.gold.jsonl --into my-gold && planx evaluate output my-gold
    """


@gold.command()
@click.argument("exports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--into", "folder", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The gold folder (targets.jsonl, deadlines.jsonl …); created when missing.")
@click.option("--prefer", default=None, metavar="first|last|EXPORT",
              help="Which source wins where two give an item different fields: the first or last of those "
                   "giving it (the folder comes first, then the exports in order), or one export file.")
def merge(exports, folder, prefer):
    """Fold the files the review page exported (EXPORTS) into a gold folder.

    Accepted and edited rows and the items added in the page become gold records, one file
    per table, as tests/gold/README.md describes. A record the folder already holds is not
    added twice (the same document, table and key field, one quote containing the other).
    Where the folder and the exports, or two exports, give an item different fields, nothing
    is written unless --prefer says which wins.

    \b
    Example:
        planx gold merge ~/Downloads/jiangsu-quality-opinion-2016.gold.jsonl --into my-gold
    """
    from .gold import merge_into

    with _os_errors_in_one_line():
        report = merge_into(folder, exports, prefer)
    unreviewed = []
    for export in report.exports:
        for d in export.documents:
            click.echo(f"{export.path}: {d.get('doc')}: {d.get('reviewed', 0)} of {d.get('rows', 0)} rows reviewed "
                       f"({d.get('accepted', 0)} accepted, {d.get('edited', 0)} edited, {d.get('rejected', 0)} "
                       f"rejected), {d.get('added', 0)} added")
            if d.get("reviewed", 0) < d.get("rows", 0):
                unreviewed.append(str(d.get("doc")))
    for table, counts in report.tables.items():
        if counts.added + counts.replaced + counts.already_there + counts.overruled:
            overruled = f", {counts.overruled} overruled" if counts.overruled else ""
            click.echo(f"{table}: {counts.added} added, {counts.replaced} replaced, {counts.already_there} already "
                       f"there{overruled} -> {folder / (table + '.jsonl')} ({counts.total} in all)")
    if not any(export.records for export in report.exports):
        click.echo("nothing to merge: the exports hold no gold record (accept, edit or add rows in the page)", err=True)
    if unreviewed:
        click.echo(f"note: not every row of {', '.join(unreviewed)} was reviewed; planx evaluate counts a row that "
                   "gold lacks as spurious, so review all of a document's rows before reading its precision", err=True)


@cli.command(name="compare")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write the table to this directory (not DIRECTORY): compare.csv, .parquet or "
                   ".jsonl, or a compare sheet or table in planx.xlsx or planx.duckdb.")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="csv", show_default=True,
              help="Format of the table written to --output.")
@click.option("--input-format", type=click.Choice(sorted(WRITERS)), default=None,
              help="The format DIRECTORY was written in (default: the one its run.json records).")
@click.option("--all", "show_all", is_flag=True, help="Also print the indicators found in one document only.")
def compare_command(directory, output, fmt, input_format, show_all):
    """Line up each indicator across the plans in DIRECTORY (written by `planx extract`).

    One row per indicator key, document, kind and year: the target or reported value, its
    unit, year and baseline and, against a target set for the same year, the escalation ratio
    (a target ÷ its parent region's target: 层层加码) or the attainment ratio (a reported
    result ÷ its own region's earlier target, else its parent region's). Keys that contain
    one another (鲁班奖 and 鲁班奖等国家级优质工程奖) share a group and sit together, without a
    ratio between them. Where units do not agree or convert the ratio stays empty and the
    note says why.

    The table is printed (groups found in more than one document, unless --all) and, with
    --output, written in --format.

    \b
    Example:
        planx extract corpus -o output && planx compare output -o comparison --format xlsx
    """
    from .comparison import compare, render
    from .writers import read_tables, write_tables

    if output is not None and output.resolve() == directory.resolve():
        raise click.ClickException(f"{output} is the directory being compared; write the comparison to another one "
                                   "(in it, compare.csv would be read as an extracted table, and planx.xlsx or "
                                   "planx.duckdb would be replaced)")
    fmt_in = input_format or _recorded_format(directory)
    try:
        tables = read_tables(directory, fmt_in)
    except OSError as err:
        raise click.ClickException(f"{directory}: cannot read it as {fmt_in}: {err}") from None
    missing = sorted({"documents", "targets"} - tables.keys())
    if missing:
        raise click.ClickException(f"{directory} has no {' or '.join(missing)} table in {fmt_in}; "
                                   "run `planx extract` into it first, or pass --input-format")
    table = compare(tables)
    click.echo(render(table, shared_only=not show_all))
    if output is not None:
        written = write_tables({"compare": table}, output, fmt)
        click.echo(f"wrote {', '.join(str(path) for path in written)}", err=True)


def _recorded_format(directory: Path) -> str:
    """The format ``directory/run.json`` says the tables were written in."""
    from .writers import recorded_format

    try:
        return recorded_format(directory)
    except ExtractError as err:
        raise click.ClickException(str(err)) from None
