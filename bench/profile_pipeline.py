"""Profile planx's whole ``.txt`` pipeline in this process: where does the time go?

Run from the checkout (the planx venv active)::

    python bench/profile_pipeline.py [--docs 20] [--top 30] [--sort tottime]

Replicates the corpus and runs one round of ``bench.py``'s stage measurement (extract,
write through the streaming sink, and the jieba floor) under cProfile, after the same
warm-up, then prints the functions that took the most time. ``extract_document`` against
``jieba.lcut`` in the listing is the pipeline-to-floor ratio, with cProfile's overhead on
both (it weighs more on planx's many small Python calls than on jieba's).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
from pathlib import Path

from bench import CORPUS, StageClock, replicate, run_round, warm_up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20, help="documents to replicate the corpus to")
    parser.add_argument("--top", type=int, default=30, help="functions to list")
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"],
                        help="by time including callees (cumulative) or own time only (tottime)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="planx-profile-") as scratch:
        scratch = Path(scratch)
        paths = replicate(sorted(CORPUS.glob("*.txt")), args.docs, scratch / "docs")
        warm_up(paths[0], scratch)
        profiler = cProfile.Profile()
        profiler.runcall(run_round, paths, scratch / "out", StageClock())
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
