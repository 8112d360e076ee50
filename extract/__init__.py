"""planx: turn Chinese government policy plans into a comparable dataset.

``extract.run(paths)`` returns the tables as DataFrames; ``extract.compare(tables)`` lines up
each indicator across the plans; ``extract.visualize(...)`` renders the extracted spans inline
in Jupyter. They are imported on first use, so ``import extract`` stays cheap for the command
line.
"""

__version__ = "0.1.0"

_LAZY = {"run": "extract.api", "load_document": "extract.api", "compare": "extract.compare",
         "visualize": "extract.review"}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'extract' has no attribute {name!r}")
