"""The documentation site: it builds strictly, and its generated pages are complete.

The slow tests build the real site once (``mkdocs build --strict`` into a
temporary folder) and read the HTML. The fast ones exercise
:mod:`sharedsvc.docgen` directly, including on a registry holding a design
that does not exist in the repository, to show that pages come from the
registry and not from files someone keeps in step by hand.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

from sharedsvc.codes import CODES
from sharedsvc.docgen import (
    DESIGN_SECTIONS,
    Site,
    demote_headings,
    design_page_path,
    fhir_mapping,
    generate_site,
    md_code,
    md_text,
    mermaid_state_diagram,
    model_tables,
    nav_with_generated,
    openapi_part,
    relative_link,
    slug_title,
    special_fields,
)
from sharedsvc.registry import Registry
from sharedsvc.validation import rules_for

REPO = Path(__file__).resolve().parents[1]
MKDOCS = Path(sys.executable).parent / "mkdocs"
PILOT = "adult-social-care/contact"
#: The vendored Mermaid build and its checksum (docs/assets/javascripts/vendor/README.txt).
EXPECTED_MERMAID = (
    "assets/javascripts/vendor/mermaid-11.17.2.min.js",
    "581ed7d74bd9048d0e3a91363927d72ef22942d7722546b27f7cc29e35390eb8",
)


# -- reading built HTML ----------------------------------------------------------------------


class _Headings(HTMLParser):
    """Collects (level, id, text) of h1-h6, without the permalink Material adds."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[int, str, str]] = []
        self._open: list[Any] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self._open = [int(tag[1]), attributes.get("id") or "", ""]
        elif (
            self._open is not None
            and tag == "a"
            and "headerlink" in (attributes.get("class") or "")
        ):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._skip:
            self._skip -= 1
        elif self._open is not None and re.fullmatch(r"h[1-6]", tag):
            level, ident, text = self._open
            self.found.append((level, ident, " ".join(text.split())))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None and not self._skip:
            self._open[2] += data


def headings(html_file: Path) -> list[tuple[int, str, str]]:
    parser = _Headings()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return parser.found


def ids_in(html_file: Path) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html_file.read_text(encoding="utf-8")))


# -- the built site ----------------------------------------------------------------------------


def build_site(out: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` into ``out``, as CI and ``make run`` do (but not --quiet,
    which hides warnings from strict mode)."""
    env = {**os.environ, "DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [str(MKDOCS), "build", "--strict", "--site-dir", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@pytest.fixture(scope="module")
def built(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Path, subprocess.CompletedProcess[str]]]:
    """The site, built once for this module, and how the build went."""
    out = tmp_path_factory.mktemp("site")
    yield out, build_site(out)
    shutil.rmtree(out, ignore_errors=True)


@pytest.fixture
def site(built: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    out, result = built
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}")
    return out


@pytest.mark.slow
def test_site_builds_strictly_without_warnings(
    built: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, result = built
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert not re.search(r"^(WARNING|ERROR)\b", log, re.M), log
    assert (out / "index.html").is_file()


@pytest.mark.slow
def test_every_design_page_has_every_section_in_order(site: Path, registry: Registry) -> None:
    assert registry.ids, "no designs to document"
    for design in registry.designs():
        page = site / design_page_path(design.id).replace(".md", ".html")
        assert page.is_file(), f"no page for {design.id}"
        found = headings(page)
        assert found[0][:1] == (1,) and found[0][2] == design.title
        sections = [text for level, _, text in found if level == 2]
        assert sections == list(DESIGN_SECTIONS), f"{design.id}: {sections}"


@pytest.mark.slow
def test_design_page_headings_never_skip_a_level(site: Path, registry: Registry) -> None:
    # WCAG 1.3.1: a heading is at most one level below the one before it.
    for design in registry.designs():
        page = site / design_page_path(design.id).replace(".md", ".html")
        levels = [level for level, _, _ in headings(page)]
        jumps = [(a, b) for a, b in pairwise(levels) if b > a + 1]
        assert not jumps, f"{design.id} skips heading levels: {jumps}"


@pytest.mark.slow
def test_design_pages_show_the_facts_of_their_design(site: Path, registry: Registry) -> None:
    for design in registry.designs():
        html = (site / design_page_path(design.id).replace(".md", ".html")).read_text("utf-8")
        assert f"ss-badge--{design.status.value}" in html
        for service in design.lgsl:
            assert f'href="http://id.esd.org.uk/service/{service.code}"' in html
        for ref in design.legislation:
            assert f'href="{ref.url}"' in html
        assert '<pre class="mermaid">' in html
        for transition in design.process.transitions:
            assert transition.event in html
        if any(c.authority.basis.value == "local-policy" for c in design.process.clocks):
            assert "configurable per council" in html
        for rule in rules_for(design.id, registry):
            assert f"issue-codes.html#{rule.code.code}" in html


@pytest.mark.slow
def test_every_field_of_the_record_is_in_the_data_section(site: Path, registry: Registry) -> None:
    for design in registry.designs():
        html = (site / design_page_path(design.id).replace(".md", ".html")).read_text("utf-8")
        schema = registry.record_model(design).model_json_schema(by_alias=True)
        for name in schema["properties"]:
            assert f'<code class="ss-nowrap">{name}</code>' in html, f"{design.id}: {name}"
        for definition, body in schema.get("$defs", {}).items():
            if "properties" in body and body.get("type") == "object":
                assert f'id="data-{definition.lower()}"' in html, f"{design.id}: {definition}"


@pytest.mark.slow
def test_every_value_set_has_a_page(site: Path, registry: Registry) -> None:
    for valueset_id in registry.valueset_ids:
        vs = registry.valueset(valueset_id)
        page = site / "reference" / "valuesets" / f"{valueset_id}.html"
        assert page.is_file(), valueset_id
        html = page.read_text(encoding="utf-8")
        assert f'href="{vs.source.url}"' in html.replace("&amp;", "&")
        for concept in vs.concepts:
            assert f"<code>{concept.code}</code>" in html, f"{valueset_id}: {concept.code}"


@pytest.mark.slow
def test_every_issue_code_is_documented_with_an_anchor(site: Path, registry: Registry) -> None:
    for design in registry.designs():
        registry.record_model(design)  # registers the design's business-rule codes
    page = site / "reference" / "issue-codes.html"
    anchors = ids_in(page)
    html = page.read_text(encoding="utf-8")
    for code, entry in CODES.items():
        assert code in anchors, f"{code} has no section"
        assert entry.severity.value in html


@pytest.mark.slow
def test_downloads_are_copies_of_the_generated_artefacts(site: Path, registry: Registry) -> None:
    downloads = site / "downloads"
    for design in registry.designs():
        committed = REPO / "schemas" / f"{design.id}.schema.json"
        copied = downloads / "schemas" / f"{design.id}.schema.json"
        assert copied.read_bytes() == committed.read_bytes()
        part = yaml.safe_load((downloads / "openapi" / f"{design.id}.openapi.yaml").read_text())
        assert part["paths"], design.id
        assert all(p.startswith(f"/{design.id}/") for p in part["paths"])
    assert (downloads / "schemas" / "openapi.yaml").read_bytes() == (
        REPO / "schemas" / "openapi.yaml"
    ).read_bytes()


@pytest.mark.slow
def test_site_loads_mermaid_from_itself_not_a_cdn(site: Path) -> None:
    path, digest = EXPECTED_MERMAID
    assert hashlib.sha256((site / path).read_bytes()).hexdigest() == digest
    page = (site / design_page_path(PILOT).replace(".md", ".html")).read_text(encoding="utf-8")
    assert path.rsplit("/", 1)[-1] in page
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page)
    assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))], scripts
    styles = re.findall(r'<link[^>]+href="(https?:[^"]+)"', page)
    assert not styles, styles  # no web fonts or other remote CSS


@pytest.mark.slow
def test_python_api_reference_documents_the_public_api(site: Path) -> None:
    import sharedsvc

    index = site / "reference" / "api" / "index.html"
    anchors = ids_in(index) | ids_in(site / "reference" / "api" / "process.html")
    anchors |= ids_in(site / "reference" / "api" / "validation.html")
    anchors |= ids_in(site / "reference" / "api" / "design.html")
    for name in sharedsvc.__all__:
        if name == "__version__":
            continue
        assert any(a.endswith(f".{name}") for a in anchors), f"sharedsvc.{name} is not documented"


# -- generation, without building the site -------------------------------------------------


def test_generated_pages_are_not_kept_in_the_docs_folder(registry: Registry) -> None:
    # Design, value set and code pages exist only at build time, so they cannot go stale.
    site = generate_site(registry)
    on_disk = {p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs").rglob("*.md")}
    assert not on_disk & set(site.pages), sorted(on_disk & set(site.pages))


def test_every_design_and_value_set_gets_a_page_and_a_nav_entry(registry: Registry) -> None:
    site = generate_site(registry)
    nav_text = json.dumps(site.designs_nav) + json.dumps(site.valuesets_nav)
    for design_id in registry.ids:
        assert design_page_path(design_id) in site.pages
        assert design_page_path(design_id) in nav_text
    for valueset_id in registry.valueset_ids:
        assert f"reference/valuesets/{valueset_id}.md" in site.pages
        assert f"reference/valuesets/{valueset_id}.md" in nav_text
    assert "reference/issue-codes.md" in site.pages


def _registry_with_new_design(tmp_path: Path) -> tuple[Registry, str]:
    """A copy of the shipped designs plus a design in a domain of its own."""
    shutil.copytree(REPO / "designs", tmp_path / "designs")
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")
    source = tmp_path / "designs" / PILOT
    target = tmp_path / "designs" / "test-domain" / "front-door"
    shutil.copytree(source, target)
    text = (target / "design.yaml").read_text(encoding="utf-8")
    text = text.replace(f"id: {PILOT}", "id: test-domain/front-door")
    text = text.replace("domain: adult-social-care", "domain: test-domain")
    text = text.replace("title: Contact and referral to adult social care", "title: Front door")
    (target / "design.yaml").write_text(text, encoding="utf-8")
    (target / "intro.md").write_text("# Background\n\nWhy it exists.\n\n## Detail\n\nMore.\n")
    (target / "notes.md").write_text("## Mapping tips\n\nUse the NHS number.\n")
    return Registry(tmp_path), "test-domain/front-door"


def test_a_new_design_gets_its_page_and_domain_without_editing_the_docs(tmp_path: Path) -> None:
    registry, design_id = _registry_with_new_design(tmp_path)
    site = generate_site(registry, schemas_dir=tmp_path / "schemas")
    page = site.pages[design_page_path(design_id)]
    sections = re.findall(r"^## (.+)$", page, re.M)
    assert sections == list(DESIGN_SECTIONS)
    assert "# Front door" in page
    # Hand-written prose nests under its section: the introduction in Summary, notes in Data.
    summary = page.split("## Summary", 1)[1].split("## Process", 1)[0]
    assert "#### Background" in summary and "##### Detail" in summary
    data = page.split("## Data", 1)[1].split("## Business rules", 1)[0]
    assert "### Implementation notes" in data and "#### Mapping tips" in data
    assert "designs/test-domain/index.md" in site.pages
    assert {
        "Test domain": [
            {"Overview": "designs/test-domain/index.md"},
            {"Front door": "designs/test-domain/front-door.md"},
        ]
    } in site.designs_nav
    # Its schema was never exported, so the build is told to fail.
    assert any("test-domain/front-door.schema.json is missing" in p for p in site.problems)


def test_design_page_links_codes_value_sets_and_downloads(registry: Registry) -> None:
    site = generate_site(registry)
    page = site.pages[design_page_path(PILOT)]
    assert "](../../reference/issue-codes.md#contact.decided-before-received)" in page
    assert "](../../reference/valuesets/contact-urgency.md)" in page
    assert "](../../downloads/schemas/adult-social-care/contact.schema.json)" in page
    assert "](../../downloads/openapi/adult-social-care/contact.openapi.yaml)" in page
    for path in re.findall(r"\]\(\.\./\.\./(downloads/[^)]+)\)", page):
        assert path in site.files, path


def test_mermaid_diagram_has_every_state_and_transition(registry: Registry) -> None:
    design = registry.get(PILOT)
    diagram = mermaid_state_diagram(design)
    assert "stateDiagram-v2" in diagram and "accTitle:" in diagram
    for state in design.process.states:
        assert f'state "{state.title}" as s_{state.id.replace("-", "_")}' in diagram
    for t in design.process.transitions:
        for source in t.from_:
            edge = f"s_{source.replace('-', '_')} --> s_{t.to.replace('-', '_')} : {t.event}"
            assert edge in diagram
    assert f"[*] --> s_{design.process.initial}" in diagram
    assert diagram.count("--> [*]") == len(design.process.final)


def test_data_tables_follow_the_model(registry: Registry) -> None:
    tables, value_types = model_tables(registry.record_model(PILOT))
    by_name = {t.name: {r.json_name: r for r in t.rows} for t in tables}
    contact = by_name["Contact"]
    assert tables[0].name == "Contact"
    assert contact["receivedAt"].python_name == "received_at"
    assert contact["receivedAt"].cardinality == "1..1"
    assert contact["referrer"].cardinality == "0..1"
    assert contact["person"].models == ("Person",)
    assert contact["urgency"].valueset == "contact-urgency"
    assert contact["reason"].classification is not None
    assert contact["reason"].classification.value == "special-category"
    assert any("4000" in c for c in contact["reason"].constraints)
    person = by_name["Person"]
    assert person["names"].cardinality == "1..*"
    assert person["addresses"].cardinality == "0..*"
    assert person["communicationNeeds"].valueset == "accessible-information-need"
    assert person["communicationNeeds"].type_md.startswith("Coding")
    assert {"NHSNumber", "Postcode"} <= {v.name for v in value_types}


def test_data_tables_explain_enums_and_unions_of_records() -> None:
    from enum import StrEnum

    from sharedsvc.ig import NON_PERSONAL, SPECIAL_CATEGORY, classified
    from sharedsvc.models.base import Record

    class Colour(StrEnum):
        RED = "red"
        BLUE = "blue"

    class Left(Record):
        """One kind."""

        secret: str = classified(SPECIAL_CATEGORY, "A health detail.")

    class Right(Record):
        """The other kind."""

        size: int = classified(NON_PERSONAL, "A size.", ge=1)

    class Root(Record):
        """A record holding either kind."""

        colour: Colour = classified(NON_PERSONAL, "A colour.")
        items: list[Left | Right] = classified(NON_PERSONAL, "Either kind.", [])

    tables, _ = model_tables(Root)
    assert [t.name for t in tables] == ["Root", "Left", "Right"]
    colour, items = tables[0].rows
    assert colour.type_md == "string" and "<code>red</code>" in colour.constraints[0]
    assert items.type_md == "[Left](#data-left) or [Right](#data-right)"
    assert items.models == ("Left", "Right") and items.cardinality == "0..*"
    assert tables[2].rows[0].constraints == ["≥ 1"]
    (special,) = special_fields(tables)
    assert special.paths == ["/items/-/secret"]


def test_openapi_part_holds_one_design_and_everything_it_refers_to(registry: Registry) -> None:
    document = yaml.safe_load((REPO / "schemas" / "openapi.yaml").read_text(encoding="utf-8"))
    part = openapi_part(document, registry.get(PILOT))
    assert part["paths"] and all(p.startswith(f"/{PILOT}/") for p in part["paths"])
    text = json.dumps(part)
    for ref in set(re.findall(r'"#/components/schemas/([^"]+)"', text)):
        assert ref in part["components"]["schemas"], ref
    assert "Contact" in part["components"]["schemas"]


def test_fhir_section_says_plainly_when_no_mapping_is_published(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    without = types.ModuleType("sharedsvc.fhir")
    monkeypatch.setitem(sys.modules, "sharedsvc.fhir", without)
    assert fhir_mapping(PILOT) is None
    page = generate_site(registry).pages[design_page_path(PILOT)]
    fhir = page.split("## FHIR", 1)[1].split("## Examples", 1)[0]
    assert "No FHIR mapping is published yet for this design." in fhir


def test_fhir_section_shows_the_published_mapping(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    profile = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"
    module = types.ModuleType("sharedsvc.fhir")
    rows = [
        {
            "field": "/person",
            "resource": "Patient",
            "element": "Patient",
            "profile": profile,
            "note": "",
        }
    ]
    module.mapping_table = lambda design_id: rows if design_id == PILOT else None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sharedsvc.fhir", module)
    page = generate_site(registry).pages[design_page_path(PILOT)]
    fhir = page.split("## FHIR", 1)[1].split("## Examples", 1)[0]
    assert f"[UKCore-Patient]({profile})" in fhir
    assert "No FHIR mapping" not in fhir


def test_nav_placeholders_are_replaced_by_generated_entries() -> None:
    site = Site(
        designs_nav=[{"Domain": ["designs/domain/index.md", {"A": "designs/domain/a.md"}]}],
        valuesets_nav=["reference/valuesets/index.md", {"Codes": "reference/valuesets/c.md"}],
        api_nav=["reference/api/index.md"],
    )
    nav = [
        {"Home": "index.md"},
        {"Designs": "designs/index.md"},
        {"Reference": [{"Value sets": "reference/valuesets/index.md"}]},
    ]
    assert nav_with_generated(nav, site) == [
        {"Home": "index.md"},
        {"Designs": [{"Catalogue": "designs/index.md"}, *site.designs_nav]},
        {"Reference": [{"Value sets": site.valuesets_nav}]},
    ]


def test_text_from_designs_is_never_read_as_markup() -> None:
    assert md_code("^[A-Z]{2}|x$") == "<code>^&#91;A-Z&#93;{2}&#124;x$</code>"
    assert md_text("a <b> & *c*") == "a &lt;b&gt; &amp; &#42;c&#42;"


def test_included_prose_headings_nest_under_the_section() -> None:
    prose = "# Top\n\ntext\n\n```md\n# not a heading\n```\n\n### Deeper\n"
    assert (
        demote_headings(prose, 4)
        == "#### Top\n\ntext\n\n```md\n# not a heading\n```\n\n###### Deeper"
    )


def test_small_helpers() -> None:
    assert slug_title("adult-social-care") == "Adult social care"
    assert slug_title("nhs-continuing-healthcare") == "NHS continuing healthcare"
    assert relative_link("designs/a/b.md", "reference/issue-codes.md#x.y") == (
        "../../reference/issue-codes.md#x.y"
    )
