"""Generate the site's design, value set, issue code and API pages at build time.

A mkdocs-gen-files script (see ``mkdocs.yml``). Every page it writes comes
from :func:`sharedsvc.docgen.generate_site`, so the published pages cannot
drift from the designs, models and registries they describe. It also copies
the generated artefacts in ``schemas/`` and the shipped example payloads into
the site for download, and fills the generated pages into the navigation.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import mkdocs_gen_files

from sharedsvc.docgen import generate_site, nav_with_generated

log = logging.getLogger("mkdocs.plugins.sharedsvc.gen_pages")

# To preview a design whose schemas are not committed yet, export them elsewhere
# (`sharedsvc export --out DIR`) and build with SHAREDSVC_SCHEMAS_DIR=DIR.
schemas_dir = os.environ.get("SHAREDSVC_SCHEMAS_DIR")
site = generate_site(schemas_dir=Path(schemas_dir) if schemas_dir else None)

for path, text in site.pages.items():
    with mkdocs_gen_files.open(path, "w", encoding="utf-8") as page:
        page.write(text)

for path, data in site.files.items():
    with mkdocs_gen_files.open(path, "wb") as download:
        download.write(data)

config = mkdocs_gen_files.config
config["nav"] = nav_with_generated(config["nav"], site)

for problem in dict.fromkeys(site.problems):
    # An error, not a warning: `mkdocs build --strict --quiet` (make run) drops warnings
    # before strict mode counts them, but still counts errors.
    log.error(problem)
