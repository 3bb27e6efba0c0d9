"""Renderers: each a function of a Report returning text, one module per output format."""

from __future__ import annotations

__all__ = ["FORMATS"]

FORMATS = ("text", "json")
