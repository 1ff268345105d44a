"""Suffrage: elections that anyone can verify."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
