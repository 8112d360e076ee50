"""The ``planx`` command: a thin click layer over :mod:`extract.api`."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from . import __version__, rules
from .api import collect_paths, iter_extractions, load_document
from .dataset import COLUMNS, frame
from .errors import ExtractError
from .writers import WRITERS, build_run_info, write_run_info, write_tables


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="planx")
def cli():
    """Turn Chinese government policy plans into a comparable dataset."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory to write the tables to.")
@click.option("--format", "fmt", type=click.Choice(sorted(WRITERS)), default="csv", show_default=True,
              help="Output format.")
@click.option("--rules", "rules_dir", type=click.Path(exists=True, file_okay=False), default=None,
              help="Use the rules in this directory instead of the bundled ones.")
def extract(paths, output, fmt, rules_dir):
    """Extract targets, deadlines, areas, agencies and measures from PATHS.

    PATHS are files, folders (searched recursively) or glob patterns. A file that cannot be
    read is reported on one line and recorded in errors.csv; the others are still processed,
    and the exit code is 1 when any failed.

    \b
    Example:
        planx extract corpus -o output
    """
    if rules_dir:
        rules.set_rules_dir(rules_dir)
    try:
        collect_paths(paths)
    except ExtractError as err:
        raise click.ClickException(str(err)) from None
    started = datetime.now(timezone.utc)
    collected: dict[str, list[dict]] = {name: [] for name in COLUMNS}
    done = 0
    for item in iter_extractions(paths):
        if isinstance(item, tuple):
            path, err = item
            click.echo(f"error: {err}", err=True)
            collected["errors"].append({"source_path": str(path), "error": str(err)})
            continue
        done += 1
        for table, rows in item.rows.items():
            collected[table].extend(rows)
    write_tables({name: frame(name, rows) for name, rows in collected.items()}, output, fmt)
    write_run_info(output, build_run_info(collect_paths(paths), collected, started, datetime.now(timezone.utc),
                                          fmt=fmt, errors=collected["errors"]))
    failed = len(collected["errors"])
    counts = ", ".join(f"{len(collected[t])} {t}" for t in ("targets", "deadlines", "areas", "agencies", "measures"))
    click.echo(f"{done} documents extracted, {failed} failed: {counts} -> {output}", err=True)
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def inspect(file):
    """Show what planx read from FILE: metadata, heading tree, tables and boxes.

    \b
    Example:
        planx inspect corpus/suzhou-quality-plan-14fyp.txt
    """
    from .passes.metadata import describe

    try:
        doc = load_document(file)
    except ExtractError as err:
        raise click.ClickException(str(err)) from None
    meta = describe(doc)[0]
    for key in ("title", "issuer", "issue_date", "doc_number", "period_start", "period_end", "region", "region_code"):
        click.echo(f"{key:>12}: {meta.get(key) or ''}")
    click.echo(f"{'format':>12}: {doc.format}, {len(doc.text)} chars, {len(doc.paragraphs)} paragraphs, "
               f"{len(doc.sentences)} sentences")
    click.echo("\nheadings:")
    for head in doc.headings:
        click.echo(f"{'  ' * head.level}{doc.text[head.start:head.end]}  [{head.start}:{head.end}]")
    for n, table in enumerate(doc.tables, 1):
        click.echo(f"\ntable {n}: {table.title or '(untitled)'} — {len(table.rows)} rows × {len(table.header)} columns")
        for row in [table.header, *table.rows]:
            click.echo("  " + " | ".join(doc.text[c.start:c.end] for c in row))
    for box in doc.boxes:
        click.echo(f"\n专栏: {box.title}  [{box.start}:{box.end}]")


@cli.command()
@click.argument("output_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--min-f1", type=float, default=None, help="Exit with 1 when any table's F1 is below this.")
@click.option("--errors/--no-errors", "show_errors", default=False, help="List misses, spurious rows and wrong attributes.")
def evaluate(output_dir, gold_dir, fmt, min_f1, show_errors):
    """Score OUTPUT_DIR (written by `planx extract`) against gold JSONL in GOLD_DIR.

    Precision, recall and F1 per table and per document, and attribute accuracy over the
    matched rows, as DESIGN.md specifies.

    \b
    Example:
        planx evaluate output ../shared/gold --errors
    """
    import json

    from .evaluate import ATTRIBUTES, evaluate as score, summary

    report = score(output_dir, gold_dir)
    data = summary(report)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for table, per_doc in report.items():
            for doc, s in per_doc.items():
                accuracy = "  ".join(f"{c}={s.accuracy(c):.2f}" for c in ATTRIBUTES[table] if s.accuracy(c) is not None)
                click.echo(f"{table:<10} {doc:<28} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} "
                           f"(tp={s.tp} fp={s.fp} fn={s.fn})  {accuracy}")
            if show_errors:
                for kind in ("misses", "spurious", "attribute_errors"):
                    for row in data[table][kind]:
                        click.echo(f"  {kind[:-2] if kind != 'misses' else 'miss'}: {json.dumps(row, ensure_ascii=False)}")
    if min_f1 is not None:
        low = [t for t, per_doc in report.items() if per_doc["ALL"].f1 < min_f1]
        if low:
            click.echo(f"F1 below {min_f1} for: {', '.join(low)}", err=True)
            sys.exit(1)


@cli.command()
@click.argument("output_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "report", type=click.Path(dir_okay=False, path_type=Path), default="review.html",
              show_default=True, help="The HTML file to write.")
@click.option("--format", "fmt", type=click.Choice(sorted(WRITERS)), default="csv", show_default=True,
              help="The format OUTPUT_DIR was written in.")
@click.option("--source-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Find each input file here, by its file name, instead of at its recorded source_path.")
def review(output_dir, report, fmt, source_dir):
    """Write one self-contained HTML page showing every row of OUTPUT_DIR in its document.

    Every extracted span is highlighted by table in its document's text, with its fields on
    hover and click, and a side panel lists the rows with filters by table, kind, rule and
    document; clicking a row jumps to its place in the text. The page needs no network.

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
        problems = write_report(output_dir, report, fmt, source_dir)
    except ExtractError as err:
        raise click.ClickException(str(err)) from None
    for doc_id, problem in problems.items():
        click.echo(f"warning: {doc_id}: text not shown: {problem}", err=True)
    if problems and not source_dir:
        click.echo("hint: pass --source-dir DIR when the input files have moved", err=True)
    click.echo(f"wrote {report}", err=True)
    sys.exit(1 if problems else 0)
