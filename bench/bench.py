"""planx benchmark: throughput per stage, against floors measured in the same run.

Run from the checkout (the planx venv active)::

    python bench/bench.py [--docs 1000] [--quick] [--json out.json]

The bundled ``corpus/*.txt`` is replicated to ``--docs`` documents, each copy with its own
first line so no two share bytes (nothing is reused by content). The machine this runs on is
shared, so absolute speeds drift with its load; every speed is therefore also given as a
ratio against a floor timed in the same run, interleaved with it:

* the whole ``.txt`` pipeline against ``jieba.lcut`` over the same normalised texts
  (segmentation is the cheapest real pass a Chinese text pipeline could run);
* planx's ``.pdf`` ingest against pdfplumber's bare ``extract_text`` over every page of the
  same files.

What each figure means is in the docstrings below and in ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "data" / "fixtures"
KB = 1024
MIB = 1024 * 1024

#: Each goal: the figure it judges, the bound, and whether the figure must be at least
#: (">=") or at most ("<=") the bound. The figures are keys of :func:`figures`.
GOALS = [
    ("pipeline_kb_s", ">=", 200, "whole .txt pipeline, KB/s on one core"),
    ("pipeline_vs_jieba", "<=", 3.0, "whole .txt pipeline, times slower than jieba.lcut"),
    ("pdf_vs_pdfplumber", "<=", 1.5, ".pdf ingest, times slower than bare pdfplumber"),
    ("pdf_pages_s", ">=", 5, ".pdf ingest, pages/s"),
    ("memory_growth", "<=", 1.2, "peak RSS at N docs / at N/10 docs (flat = 1)"),
    ("jobs2_speedup", ">=", 1.7, "planx extract --jobs 2 speedup over --jobs 1"),
]


# --- the corpus --------------------------------------------------------------------------

def replicate(sources: list[Path], count: int, directory: Path) -> list[Path]:
    """Write ``count`` copies of ``sources`` (round robin) into ``directory``.

    Each copy opens with its own title line, so its sha256 differs from every other copy's
    and no cache keyed on content can serve it.
    """
    texts = [(path.stem, path.read_text(encoding="utf-8-sig")) for path in sources]
    directory.mkdir(parents=True, exist_ok=True)
    copies = []
    for i in range(count):
        stem, text = texts[i % len(texts)]
        copy = directory / f"{stem}-{i:05d}.txt"
        copy.write_text(f"基准测试副本第{i + 1}份\n{text}", encoding="utf-8")
        copies.append(copy)
    return copies


def link_subset(paths: list[Path], directory: Path) -> Path:
    """A folder holding (hard links to) ``paths``, to hand the CLI a smaller batch."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in paths:
        os.link(path, directory / path.name)
    return directory


# --- stages, in process ------------------------------------------------------------------

class StageClock:
    """Seconds spent per stage, summed over every call."""

    def __init__(self) -> None:
        self.seconds: Counter = Counter()

    @contextmanager
    def span(self, stage: str):
        """Add the time the ``with`` block takes to ``stage``."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] += time.perf_counter() - started

    def wrap(self, stage: str, fn):
        """``fn``, with the time of each call added to ``stage``."""
        def timed(*args, **kwargs):
            with self.span(stage):
                return fn(*args, **kwargs)
        return timed


@contextmanager
def instrumented(clock: StageClock):
    """Clock the steps :func:`planx.pipeline.extract_document` takes, by name, in place.

    The steps are wrapped where the pipeline looks them up, so what is timed is the real
    code path rather than a copy of it: ingest (``ingest``), layout (``assemble``: blocks to
    one normalised text and its Doc), each pipeline component in its order, and the consumer
    (``tables_of``: rows, ids, measures, sections, sentences, indicator keys).
    :func:`run_round` puts the rest of ``extract_document``'s time under "other".
    """
    from types import SimpleNamespace

    from planx import pipeline

    nlp = pipeline.shared()
    timed = SimpleNamespace(vocab=nlp.vocab, make_doc=nlp.make_doc,
                            pipeline=[(name, clock.wrap(f"component {name}", proc)) for name, proc in nlp.pipeline])
    with ExitStack() as stack:
        for module, attribute, stage in [(pipeline, "ingest", "ingest"), (pipeline, "assemble", "layout"),
                                         (pipeline, "tables_of", "consumer")]:
            stack.enter_context(mock.patch.object(module, attribute, clock.wrap(stage, getattr(module, attribute))))
        stack.enter_context(mock.patch.object(pipeline, "shared", lambda: timed))
        yield


def run_round(paths: list[Path], output: Path, clock: StageClock) -> dict:
    """Extract ``paths`` in this process and write them as ``build_dataset`` does.

    Each document's rows go to the streaming sink as soon as it is extracted (the write
    stage: building the typed frames, appending, and the sink's final flush and renames).
    After each document ``jieba.lcut`` runs over its normalised text: the floor, timed
    under the same load as the pipeline it is compared with.

    Returns:
        ``{"docs", "bytes", "floor"}``: documents, UTF-8 bytes of normalised text, and the
        seconds jieba took; the stages' seconds are added to ``clock``.
    """
    import jieba

    from planx.pipeline import extract_document
    from planx.dataset import frame
    from planx.writers import open_sink

    size, floor, extracting = 0, 0.0, 0.0
    with ExitStack() as stack:
        with clock.span("write"):
            sink = stack.enter_context(open_sink(output, "csv"))
        for path in paths:
            started = time.perf_counter()
            result = extract_document(path, path.stem)
            extracting += time.perf_counter() - started
            with clock.span("write"):
                sink.append({name: frame(name, rows) for name, rows in result.rows.items()})
            text = result.document.text
            size += len(text.encode("utf-8"))
            started = time.perf_counter()
            jieba.lcut(text)
            floor += time.perf_counter() - started
        with clock.span("write"):
            stack.close()  # the sink's last batches, and the renames into place
    # extract_document's time outside the steps clocked by name (its own loops, a step added
    # since this was written), so that the pipeline's time is all of it.
    clock.seconds["other"] = extracting - sum(s for stage, s in clock.seconds.items() if stage != "write")
    return {"docs": len(paths), "bytes": size, "floor": floor}


def warm_up(sample: Path, scratch: Path) -> None:
    """Load what a run pays for once, so that it stays out of the throughput figures.

    jieba's dictionary (~0.7 s), planx's rules, gazetteer and compiled patterns are loaded
    here, by segmenting and extracting one document untimed.
    """
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    run_round([sample], scratch / "warm-up", StageClock())


def measure_stages(paths: list[Path], scratch: Path, rounds: int) -> list[dict]:
    """Time every stage over ``paths``, dealt into ``rounds`` chunks (every ``rounds``-th path).

    Each round is one measurement (its own clock, floor and output folder), so every figure
    can be reported as the median over rounds: a burst of load from other processes then
    spoils one round, not the result.
    """
    chunks = [paths[i::rounds] for i in range(rounds)]
    results = []
    for n, chunk in enumerate(chunks):
        clock = StageClock()
        with instrumented(clock):
            result = run_round(chunk, scratch / f"round-{n}", clock)
        result["stages"] = dict(clock.seconds)
        results.append(result)
    return results


def summarise_stages(rounds: list[dict]) -> dict:
    """Median KB/s and documents/s per stage, of the pipeline and of the jieba floor.

    KB are KiB of the normalised text in UTF-8 (what every stage after ingest works on). The
    pipeline's time is the sum of its stages; ``vs_jieba`` is the pipeline's time over
    jieba's, per round: how many times slower than bare segmentation planx is.
    """
    def rates(seconds_of) -> dict:
        return {"kb_s": statistics.median(r["bytes"] / KB / seconds_of(r) for r in rounds),
                "docs_s": statistics.median(r["docs"] / seconds_of(r) for r in rounds),
                "share": statistics.median(seconds_of(r) / sum(r["stages"].values()) for r in rounds)}

    stages = {stage: rates(lambda r, s=stage: r["stages"][s]) for stage in rounds[0]["stages"]}
    pipeline = rates(lambda r: sum(r["stages"].values()))
    pipeline["vs_jieba"] = statistics.median(sum(r["stages"].values()) / r["floor"] for r in rounds)
    floor = rates(lambda r: r["floor"])
    del floor["share"]
    return {"stages": _in_pipeline_order(stages), "pipeline": pipeline, "jieba": floor}


def _in_pipeline_order(stages: dict) -> dict:
    """Stages in the order a document goes through them."""
    from planx.pipeline import component_names

    components = [f"component {name}" for name in component_names()]
    return {s: stages[s] for s in ["ingest", "layout", *components, "consumer", "other", "write"] if s in stages}


# --- PDF ---------------------------------------------------------------------------------

def bare_pdfplumber(path: Path) -> int:
    """The floor: pdfplumber's ``extract_text`` on every page; returns the page count."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def measure_pdf(pdfs: list[Path], repeat: int) -> dict:
    """planx's ``.pdf`` ingest (:func:`planx.ingest.read`: text, tables, running headers
    and page numbers removed, lines re-joined) against :func:`bare_pdfplumber`, both over
    every page of ``pdfs``, alternating, ``repeat`` times; medians.

    ``vs_pdfplumber`` is planx's time over pdfplumber's, per repetition.
    """
    from planx.ingest import pdf, read

    assert pdf  # imported here so the import stays out of the timing
    pages = sum(bare_pdfplumber(path) for path in pdfs)
    ours, floor = [], []
    for _ in range(repeat):
        floor.append(_seconds(lambda: [bare_pdfplumber(p) for p in pdfs]))
        ours.append(_seconds(lambda: [read(p) for p in pdfs]))
    return {"files": len(pdfs), "pages": pages,
            "pages_s": pages / statistics.median(ours),
            "pdfplumber_pages_s": pages / statistics.median(floor),
            "vs_pdfplumber": statistics.median(a / b for a, b in zip(ours, floor))}


def _seconds(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


# --- the command line, in child processes ------------------------------------------------

#: Runs the command after its first argument and writes the command's wall time, CPU time
#: and peak RSS to the file that argument names, as JSON. It exists for the peak RSS: Linux
#: carries a process's peak across exec, so a command started straight from this (large)
#: process would report at least this process's memory; started from the launcher, it
#: reports its own.
_LAUNCHER = """
import json, os, sys, time
started = time.perf_counter()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    json.dump({"exit": os.waitstatus_to_exitcode(status), "seconds": time.perf_counter() - started,
               "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_rss_kib": usage.ru_maxrss}, out)
"""


def run_cli(inputs: Path, jobs: int, scratch: Path) -> dict:
    """Run ``planx extract INPUTS -o OUT --jobs N --force`` into a fresh folder.

    Returns:
        ``{"seconds", "cpu_seconds", "peak_rss_mib"}``: wall time of the whole command
        (start-up included), and the CPU time and peak resident memory of the process and
        the workers it waited for.
    """
    output = Path(tempfile.mkdtemp(prefix=f"jobs{jobs}-", dir=scratch))
    report, log = output.with_suffix(".json"), output.with_suffix(".log")
    command = [sys.executable, "-m", "planx", "extract", str(inputs), "-o", str(output),
               "--jobs", str(jobs), "--force", "--no-progress"]
    with open(log, "wb") as stderr:
        subprocess.run([sys.executable, "-c", _LAUNCHER, str(report), *command],
                       stdout=subprocess.DEVNULL, stderr=stderr, cwd=scratch, check=True)
    measured = json.loads(report.read_text(encoding="utf-8"))
    if measured["exit"] != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{log.read_text(errors='replace')}")
    shutil.rmtree(output)
    return {"seconds": measured["seconds"], "cpu_seconds": measured["cpu_seconds"],
            "peak_rss_mib": measured["peak_rss_kib"] * KB / MIB}


def measure_cli(docs: Path, tenth: Path, count: int, size: int, scratch: Path, repeat: int) -> dict:
    """``--jobs 1`` and ``--jobs 2`` over all ``count`` documents, alternating, ``repeat``
    times; and ``--jobs 1`` over a tenth of them for memory.

    ``speedup`` is the median ``--jobs 1`` time over the median ``--jobs 2`` time; ``runs``
    keeps every run's wall and CPU seconds, to judge how steady they were. Memory is the
    peak RSS of ``--jobs 1`` (one process, so no worker's memory is mixed in) over the
    tenth and over all documents: ``memory_growth`` is their ratio, 1 when memory does not
    grow with the batch; ``growth_kib_per_doc`` is the difference per extra document (it
    can be negative: peak RSS varies a little from run to run).
    """
    one, two = [], []
    for _ in range(repeat):
        one.append(run_cli(docs, 1, scratch))
        two.append(run_cli(docs, 2, scratch))
    small = run_cli(tenth, 1, scratch)
    full_rss = statistics.median(r["peak_rss_mib"] for r in one)
    small_docs = sum(1 for _ in tenth.iterdir())
    return {
        "jobs1": _throughput(one, count, size),
        "jobs2": _throughput(two, count, size),
        "speedup": statistics.median(r["seconds"] for r in one) / statistics.median(r["seconds"] for r in two),
        "runs": {"jobs1": [_rounded(r) for r in one], "jobs2": [_rounded(r) for r in two]},
        "memory": {"docs_small": small_docs, "peak_rss_small_mib": small["peak_rss_mib"],
                   "docs_full": count, "peak_rss_full_mib": full_rss,
                   "memory_growth": full_rss / small["peak_rss_mib"],
                   "growth_kib_per_doc": (full_rss - small["peak_rss_mib"]) * KB / max(count - small_docs, 1)},
    }


def _rounded(run: dict) -> dict:
    return {"seconds": round(run["seconds"], 2), "cpu_seconds": round(run["cpu_seconds"], 2)}


def _throughput(runs: list[dict], docs: int, size: int) -> dict:
    """The median wall time of ``runs``, the rates it gives, and the cores the runs kept busy
    (CPU time over wall time: below the number of workers when other work shares the CPUs)."""
    seconds = statistics.median(r["seconds"] for r in runs)
    return {"seconds": seconds, "kb_s": size / KB / seconds, "docs_s": docs / seconds,
            "cores_used": statistics.median(r["cpu_seconds"] / r["seconds"] for r in runs)}


# --- start-up ----------------------------------------------------------------------------

def measure_imports(repeat: int) -> dict:
    """Seconds a fresh interpreter takes to import spaCy, and to load planx's pipeline, over
    an empty interpreter's start (the floor), medians of ``repeat`` runs each.

    What a one-file ``planx extract`` pays before it reads anything.
    """
    def median_seconds(code: str) -> float:
        return statistics.median(_seconds(lambda: subprocess.run([sys.executable, "-c", code], check=True))
                                 for _ in range(repeat))

    floor = median_seconds("pass")
    spacy = median_seconds("import spacy") - floor
    pipeline = median_seconds("from planx import pipeline; pipeline.load()") - floor
    return {"python_s": floor, "spacy_import_s": spacy, "planx_load_s": pipeline}


# --- the report --------------------------------------------------------------------------

def figures(report: dict) -> dict:
    """The figures the goals judge, by the names :data:`GOALS` uses."""
    return {"pipeline_kb_s": report["pipeline"]["kb_s"],
            "pipeline_vs_jieba": report["pipeline"]["vs_jieba"],
            "pdf_vs_pdfplumber": report["pdf"]["vs_pdfplumber"],
            "pdf_pages_s": report["pdf"]["pages_s"],
            "memory_growth": report["cli"]["memory"]["memory_growth"],
            "jobs2_speedup": report["cli"]["speedup"]}


def judge(report: dict) -> list[dict]:
    """Each goal with the measured figure and whether it is met."""
    measured = figures(report)
    out = []
    for key, sense, bound, meaning in GOALS:
        value = measured[key]
        met = value >= bound if sense == ">=" else value <= bound
        out.append({"figure": key, "meaning": meaning, "value": value, "goal": f"{sense} {bound}", "met": met})
    return out


def machine() -> dict:
    """Where and under what load the run happened (load is the 1-minute load average), and
    which planx (its folder: a checkout, or another one on ``PYTHONPATH``)."""
    import planx

    return {"planx": str(Path(planx.__file__).parent), "python": platform.python_version(),
            "platform": platform.platform(), "cpus": os.cpu_count(),
            "load_before": round(os.getloadavg()[0], 2),
            "when": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def render(report: dict) -> str:
    """The report as a readable table: stages, floors, whole runs, PDF, memory, goals."""
    docs, kib = report["corpus"]["docs"], report["corpus"]["kib"]
    m = report["machine"]
    lines = [f"planx benchmark: {docs} documents, {kib:,.0f} KiB of normalised text; "
             f"{m['cpus']} CPUs, load {m['load_before']} before / {m['load_after']} after",
             "", f"{'stage (in process, 1 core)':<34}{'KB/s':>10}{'docs/s':>10}{'share':>8}"]
    for stage, r in report["stages"].items():
        lines.append(f"  {stage:<32}{r['kb_s']:>10,.0f}{r['docs_s']:>10.1f}{r['share']:>8.1%}")
    p, j = report["pipeline"], report["jieba"]
    lines += [f"{'whole pipeline':<34}{p['kb_s']:>10,.0f}{p['docs_s']:>10.1f}",
              f"{'floor: jieba.lcut':<34}{j['kb_s']:>10,.0f}{j['docs_s']:>10.1f}",
              f"{'pipeline / jieba (time)':<34}{p['vs_jieba']:>10.2f}×", ""]
    c = report["cli"]
    for jobs in ("jobs1", "jobs2"):
        r = c[jobs]
        lines.append(f"planx extract --jobs {jobs[-1]:<14}{r['kb_s']:>10,.0f}{r['docs_s']:>10.1f}"
                     f"   {r['seconds']:.1f} s wall, {r['cores_used']:.2f} cores busy")
    lines.append(f"{'--jobs 2 speedup':<34}{c['speedup']:>10.2f}×")
    mem = c["memory"]
    lines += [f"peak RSS, --jobs 1: {mem['peak_rss_small_mib']:.0f} MiB at {mem['docs_small']} docs, "
              f"{mem['peak_rss_full_mib']:.0f} MiB at {mem['docs_full']} docs "
              f"({mem['memory_growth']:.2f}×, {mem['growth_kib_per_doc']:+.1f} KiB per extra doc)"]
    i = report["imports"]
    lines += [f"start-up over a bare interpreter ({i['python_s']:.2f} s): import spacy {i['spacy_import_s']:.2f} s, "
              f"planx pipeline loaded {i['planx_load_s']:.2f} s"]
    d = report["pdf"]
    lines += [f"pdf ingest: {d['pages']} pages in {d['files']} files, planx {d['pages_s']:.1f} pages/s, "
              f"pdfplumber {d['pdfplumber_pages_s']:.1f} pages/s ({d['vs_pdfplumber']:.2f}×)", "",
              f"{'goal':<52}{'measured':>10}{'goal':>8}  met"]
    for g in report["goals"]:
        lines.append(f"  {g['meaning']:<50}{g['value']:>10.2f}{g['goal']:>8}  {'yes' if g['met'] else 'NO'}")
    return "\n".join(lines)


# --- main --------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=None,
                        help="documents to replicate the corpus to (default 1000; 6 with --quick)")
    parser.add_argument("--quick", action="store_true", help="one repetition, the smallest PDF: a smoke run for CI")
    parser.add_argument("--repeat", type=int, default=None,
                        help="repetitions of the CLI and PDF runs (default 3; 1 with --quick)")
    parser.add_argument("--pdf", type=Path, action="append", default=None,
                        help="a PDF to time (repeatable; default: every PDF in tests/data/fixtures)")
    parser.add_argument("--json", type=Path, default=None, help="also write the report here as JSON")
    args = parser.parse_args(argv)
    args.docs = args.docs or (6 if args.quick else 1000)
    args.repeat = args.repeat or (1 if args.quick else 3)
    pdfs = args.pdf or sorted(FIXTURES.glob("*.pdf"))
    args.pdf = sorted(pdfs, key=lambda p: p.stat().st_size)[:1] if args.quick else pdfs
    if not args.pdf:
        parser.error(f"no PDF to time: none in {FIXTURES}; name one with --pdf")
    return args


def benchmark(args: argparse.Namespace, scratch: Path) -> dict:
    """Every measurement, in one report dict (what ``--json`` writes)."""
    report = {"machine": machine()}
    paths = replicate(sorted(CORPUS.glob("*.txt")), args.docs, scratch / "docs")
    tenth = link_subset(paths[: max(1, args.docs // 10)], scratch / "tenth")
    warm_up(paths[0], scratch)
    rounds = measure_stages(paths, scratch / "stages", rounds=min(5, args.docs))
    size = sum(r["bytes"] for r in rounds)
    report["corpus"] = {"docs": args.docs, "kib": size / KB}
    report.update(summarise_stages(rounds))
    report["pdf"] = measure_pdf(args.pdf, args.repeat)
    report["imports"] = measure_imports(args.repeat)
    report["cli"] = measure_cli(scratch / "docs", tenth, args.docs, size, scratch, args.repeat)
    report["machine"]["load_after"] = round(os.getloadavg()[0], 2)
    report["goals"] = judge(report)
    return report


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="planx-bench-") as scratch:
        report = benchmark(args, Path(scratch))
    print(render(report))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
