"""Regenerate rules/gazetteer/divisions.csv from rules/gazetteer/source (see SOURCES.md there).

Usage: python scripts/build_gazetteer.py [OUTPUT]
"""

from __future__ import annotations

import sys

from planx.gazetteer import write

if __name__ == "__main__":
    print(write(sys.argv[1] if len(sys.argv) > 1 else None))
