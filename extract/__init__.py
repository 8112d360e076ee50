"""planx: turn Chinese government policy plans into a comparable dataset."""

__version__ = "0.1.0"
