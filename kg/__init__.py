"""newskg: news articles in, a knowledge graph of events, actors and allegations out."""

from __future__ import annotations

__version__ = "0.1.0"
