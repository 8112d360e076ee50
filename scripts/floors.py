"""Write the CI floors from today's figures: each F1, overall and per genre, minus a margin.

    planx extract corpus -o output && python scripts/floors.py output tests/gold > tests/gold/floors.yaml

A floor is the measured F1 less 0.02, rounded down to two decimals; a table with no F1 (no gold
and no rows in a genre) gets none. Raise the floors with every change that improves a figure;
lowering one needs a reason in the commit.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from planx.evaluate import by_group, evaluate, load_catalog

MARGIN = 0.02


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("output", type=Path)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--catalog", type=Path, default=Path("corpus/catalog.csv"))
    args = parser.parse_args(argv)
    grouped = by_group(evaluate(args.output, args.gold), load_catalog(args.catalog))
    groups = ["ALL"] + sorted({g for per_group in grouped.values() for g in per_group} - {"ALL"})
    print("# F1 floors that CI holds the corpus to (.ci/run): the measured F1 less 0.02, rounded down.")
    print("# Written by scripts/floors.py; raise them with every change that improves a figure, and give a")
    print("# reason in the commit for lowering one.")
    for group in groups:
        floors = {table: math.floor((per_group[group].f1 - MARGIN) * 100) / 100
                  for table, per_group in grouped.items()
                  if group in per_group and per_group[group].f1 is not None}
        if floors:
            print(f"{group}:")
            for table, floor in floors.items():
                print(f"  {table}: {max(floor, 0.0):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
