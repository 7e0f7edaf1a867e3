"""The built-in extractors, registered in the order the default pipeline runs them."""

from __future__ import annotations

from kg.extract import register
from kg.extract.baseline import BaselineExtractor

register(BaselineExtractor())
