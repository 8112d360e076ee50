"""planx: turn Chinese government policy plans into a comparable dataset.

``planx.run(paths)`` returns the tables as DataFrames; ``planx.compare(tables)`` lines up
each indicator across the plans; ``planx.visualize(...)`` renders the extracted spans inline
in Jupyter. They are imported on first use, so ``import planx`` stays cheap for the command
line. No submodule shares a public function's name (``compare`` lives in
:mod:`planx.comparison`): importing a submodule sets it as an attribute of the package, which
would hide the function of the same name.
"""


def _installed_version() -> str:
    """planx's version, from its package metadata: pyproject.toml is the one place it is written."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("planx")
    except PackageNotFoundError:  # a source tree on sys.path that was never pip-installed
        return "0+unknown"


__version__ = _installed_version()

#: Public function -> the module that defines it, imported on first use.
_LAZY = {"run": "planx.api", "load_document": "planx.api", "compare": "planx.comparison",
         "visualize": "planx.review", "load": "planx.pipeline", "read": "planx.pipeline", "parse": "planx.pipeline",
         "to_tables": "planx.consumer"}

__all__ = sorted(_LAZY)


def __getattr__(name):
    """The public function ``name``, imported from its module on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'planx' has no attribute {name!r}")


def __dir__():
    """The package's names, the lazy functions among them (for completion in notebooks)."""
    return sorted({*globals(), *_LAZY})
