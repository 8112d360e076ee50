"""Import every module that registers a pipeline component (rules/pipeline.yaml orders them)."""

from .passes import agencies, areas, deadlines, measures, metadata, places, targets, timex  # noqa: F401
from .structure import boxes, headings, roles, sentences, tables  # noqa: F401
