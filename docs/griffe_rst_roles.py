"""A griffe extension for the Python API pages: Sphinx roles as inline code.

sharedsvc's docstrings refer to other objects with reStructuredText roles
(:class:`Report`, :func:`validate`), which mkdocstrings would print as they
are. This turns each into inline code (``Report``), keeping the name only.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|data|attr|mod|exc|obj|const):`(~?)([^`]+)`")


def _as_code(match: re.Match[str]) -> str:
    target = match.group(2)
    if match.group(1):  # Sphinx's ~ shows only the last part of a dotted name
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


class SphinxRolesAsCode(griffe.Extension):
    """Rewrite ``:role:`name``` in docstrings to ```name```."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = _ROLE.sub(_as_code, obj.docstring.value)
