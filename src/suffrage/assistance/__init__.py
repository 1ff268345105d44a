"""The UN electoral-assistance registry (spec/assistance.md): requests and their workflow,
needs assessments, activities and their coordination, the expert roster, and the
hash-chained history, over its own database.

A vertical slice of its own (ARCHITECTURE.md): it imports none of the election layers, only
:mod:`suffrage.errors`; the ``cli`` and ``web`` shells use it. Nothing is exported at the
package level: import the module that holds what you need.
"""

from __future__ import annotations

__all__: list[str] = []
