"""The eligibility determinations apply SI 2015/313 regulations 2 and 3 exactly.

Each case in the tables below was worked by hand from the regulation text
(https://www.legislation.gov.uk/uksi/2015/313): regulation 2 for adults, regulation 3 for
carers. The properties then check what must hold for every assessment, with strategies
built from the models' own value-set bindings and literals.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from sharedsvc import validate
from sharedsvc.eligibility import (
    ADULT_OUTCOMES,
    CARER_OUTCOMES,
    determine_carer_eligibility,
    determine_eligibility,
)
from sharedsvc.models.adult_social_care import (
    CarerOutcomeAssessment,
    CarersAssessment,
    NeedsAssessment,
    OutcomeAssessment,
    WellbeingImpact,
)
from sharedsvc.registry import default_registry
from sharedsvc.terminology import InValueSet

COUNCIL = {"name": "Kent County Council", "gssCode": "E10000016"}
PERSON = {"names": [{"given": ["Margaret"], "family": "Ellis"}], "birthDate": "1941-03-02"}
CARED_FOR = {"names": [{"given": ["Daniel"], "family": "Okafor"}], "birthDate": "1958-07-19"}
ASSESSOR = {"name": {"given": ["Amira"], "family": "Khan"}, "role": "Social worker"}


# -- building records -------------------------------------------------------------------------


def adult_payload(
    unable: dict[str, list[str]],
    significance: str | None = "significant",
    *,
    impairment: bool = True,
    decision: str | None = None,
) -> dict[str, Any]:
    """A needs assessment with a finding on every outcome; `unable` maps outcome to reg 2(3)."""
    payload: dict[str, Any] = {
        "id": "NA-TEST-1",
        "contactId": "CON-TEST-1",
        "council": COUNCIL,
        "person": PERSON,
        "assessor": ASSESSOR,
        "assessmentType": "face-to-face",
        "startedOn": "2026-11-30",
        "completedOn": "2026-12-10",
        "advocacy": {"substantialDifficulty": False},
        "needsSummary": "Test needs.",
        "needsFromImpairmentOrIllness": impairment,
        "outcomes": [
            {"outcome": c, "unable": bool(unable.get(c)), "circumstances": unable.get(c, [])}
            for c in ADULT_OUTCOMES
        ],
    }
    if significance is not None:
        payload["wellbeingImpact"] = {"significance": significance}
    if decision is not None:
        payload["eligibilityDecision"] = decision
    return payload


def carer_payload(
    unable: dict[str, list[str]],
    significance: str | None = "significant",
    *,
    necessary_care: bool = True,
    health_at_risk: bool = False,
    decision: str | None = None,
) -> dict[str, Any]:
    """A carer's assessment with a finding on every outcome; `unable` maps outcome to reg 3(3)."""
    payload: dict[str, Any] = {
        "id": "CA-TEST-1",
        "council": COUNCIL,
        "carer": PERSON,
        "caredFor": CARED_FOR,
        "assessor": ASSESSOR,
        "assessmentType": "face-to-face",
        "startedOn": "2026-11-30",
        "completedOn": "2026-12-10",
        "advocacy": {"substantialDifficulty": False},
        "needsSummary": "Test needs.",
        "needsFromProvidingNecessaryCare": necessary_care,
        "healthDeterioratingOrAtRisk": health_at_risk,
        "outcomes": [
            {"outcome": c, "unable": bool(unable.get(c)), "circumstances": unable.get(c, [])}
            for c in CARER_OUTCOMES
        ],
    }
    if significance is not None:
        payload["wellbeingImpact"] = {"significance": significance}
    if decision is not None:
        payload["eligibilityDecision"] = decision
    return payload


# -- hand-worked cases ------------------------------------------------------------------------


@dataclass(frozen=True)
class AdultCase:
    name: str
    unable: dict[str, list[str]]
    significance: str | None
    impairment: bool
    eligible: bool
    #: Paragraphs of reg 2(1) the case must fail (empty when eligible).
    unmet: tuple[str, ...] = ()
    reasoning_mentions: tuple[str, ...] = field(default=())


ADULT_CASES = [
    # Nutrition (a) and hygiene (b) cannot be achieved without assistance (reg 2(3)(a)); the
    # needs come from an illness (2(1)(a)); two outcomes satisfy 2(1)(b); the impact on
    # well-being is significant (2(1)(c)). All three conditions hold: eligible.
    AdultCase(
        "two outcomes with significant impact", {"a": ["a"], "b": ["a"]}, "significant", True, True
    ),
    # Borderline: exactly two outcomes are unachievable, so 2(1)(b) holds, but the assessor
    # found no significant impact on well-being, so 2(1)(c) fails: not eligible.
    AdultCase(
        "exactly two outcomes but no significant impact",
        {"d": ["a"], "i": ["d"]},
        "not-significant",
        True,
        False,
        ("reg 2(1)(c)",),
    ),
    # One outcome only, however serious the impact: 2(1)(b) asks for two or more.
    AdultCase(
        "one outcome with significant impact",
        {"e": ["c"]},
        "significant",
        True,
        False,
        ("reg 2(1)(b)",),
    ),
    # Four unachievable outcomes and a significant impact, but the needs are not recorded as
    # arising from an impairment or illness (e.g. they stem from circumstances alone), so
    # 2(1)(a) fails: not eligible.
    AdultCase(
        "needs not from impairment or illness",
        {"a": ["a"], "b": ["a"], "f": ["a"], "i": ["a"]},
        "significant",
        False,
        False,
        ("reg 2(1)(a)",),
    ),
    # She can cook and wash, but doing so causes significant pain (reg 2(3)(b)): the adult is
    # regarded as unable to achieve both outcomes, so 2(1)(b) holds: eligible.
    AdultCase(
        "achievable only with significant pain counts as unable",
        {"a": ["b"], "b": ["b"]},
        "significant",
        True,
        True,
        reasoning_mentions=("reg 2(3)(b)",),
    ),
    # Dressing and keeping the home habitable take significantly longer than normal
    # (reg 2(3)(d)); the impact is *likely* to be significant, which 2(1)(c) accepts
    # ("is, or is likely to be"): eligible.
    AdultCase(
        "significantly longer and a likely impact",
        {"d": ["d"], "f": ["d"]},
        "likely-significant",
        True,
        True,
        reasoning_mentions=("reg 2(3)(d)",),
    ),
    # Caring for a child (j) and relationships (g) can be done alone but endanger the child's
    # safety (reg 2(3)(c), "of the adult, or of others"): eligible.
    AdultCase(
        "danger to others counts as unable",
        {"g": ["c"], "j": ["c"]},
        "significant",
        True,
        True,
        reasoning_mentions=("reg 2(3)(c)",),
    ),
    # Every outcome unachievable, but the impact on well-being has not been assessed, so
    # 2(1)(c) is not established: not eligible until it is.
    AdultCase(
        "impact not assessed",
        {c: ["a"] for c in ADULT_OUTCOMES},
        None,
        True,
        False,
        ("reg 2(1)(c)",),
    ),
    # No outcome unachievable: 2(1)(b) fails, whatever the impact.
    AdultCase("no outcome unachievable", {}, "significant", True, False, ("reg 2(1)(b)",)),
    # Impairment, one outcome, no significant impact: (b) and (c) both fail.
    AdultCase(
        "two conditions fail together",
        {"c": ["a"]},
        "not-significant",
        True,
        False,
        ("reg 2(1)(b)", "reg 2(1)(c)"),
    ),
]


@pytest.mark.parametrize("case", ADULT_CASES, ids=lambda c: c.name)
def test_adult_determination_matches_the_hand_worked_case(case: AdultCase) -> None:
    assessment = NeedsAssessment.model_validate(
        adult_payload(case.unable, case.significance, impairment=case.impairment)
    )
    result = determine_eligibility(assessment)
    assert result.eligible is case.eligible
    assert result.decision == ("eligible" if case.eligible else "not-eligible")
    assert tuple(c.paragraph for c in result.conditions if not c.met) == case.unmet
    assert sorted(result.unable_outcomes) == sorted(case.unable)
    text = "\n".join(result.reasoning)
    for paragraph in case.reasoning_mentions:
        assert paragraph in text


@dataclass(frozen=True)
class CarerCase:
    name: str
    unable: dict[str, list[str]]
    significance: str | None
    necessary_care: bool
    health_at_risk: bool
    eligible: bool
    unmet: tuple[str, ...] = ()


CARER_CASES = [
    # Health at risk of deteriorating (reg 3(2)(a)) is enough for 3(1)(b) on its own, with no
    # outcome unachievable; needs from necessary care (3(1)(a)); significant impact (3(1)(c)).
    CarerCase("health at risk with no outcome unachievable", {}, "significant", True, True, True),
    # Unlike adults, a carer needs only one outcome of reg 3(2)(b): recreational activities
    # (viii) cannot be achieved without assistance (reg 3(3)(a)): eligible.
    CarerCase(
        "one outcome is enough for a carer",
        {"viii": ["a"]},
        "likely-significant",
        True,
        False,
        True,
    ),
    # Providing care to others (ii) causes significant distress (reg 3(3)(b)): eligible.
    CarerCase(
        "distress counts as unable for a carer", {"ii": ["b"]}, "significant", True, False, True
    ),
    # Health at risk and two outcomes, but no significant impact on well-being: 3(1)(c) fails.
    CarerCase(
        "no significant impact",
        {"iv": ["a"], "v": ["c"]},
        "not-significant",
        True,
        True,
        False,
        ("reg 3(1)(c)",),
    ),
    # The carer helps with things the adult can do for themselves, so the care is not
    # "necessary" and 3(1)(a) fails, although health is at risk and the impact significant.
    CarerCase("care not necessary", {}, "significant", False, True, False, ("reg 3(1)(a)",)),
    # Neither circumstance of reg 3(2) applies: 3(1)(b) fails despite a significant impact.
    CarerCase(
        "neither health nor any outcome", {}, "significant", True, False, False, ("reg 3(1)(b)",)
    ),
]


@pytest.mark.parametrize("case", CARER_CASES, ids=lambda c: c.name)
def test_carer_determination_matches_the_hand_worked_case(case: CarerCase) -> None:
    assessment = CarersAssessment.model_validate(
        carer_payload(
            case.unable,
            case.significance,
            necessary_care=case.necessary_care,
            health_at_risk=case.health_at_risk,
        )
    )
    result = determine_carer_eligibility(assessment)
    assert result.eligible is case.eligible
    assert tuple(c.paragraph for c in result.conditions if not c.met) == case.unmet


def test_the_tables_hold_at_least_twelve_cases_with_both_verdicts() -> None:
    cases = [*ADULT_CASES, *CARER_CASES]
    assert len(cases) >= 12
    assert {c.eligible for c in cases} == {True, False}


def test_an_outcome_marked_unable_without_a_circumstance_does_not_count() -> None:
    # Reg 2(3) deems an adult unable only in the circumstances it lists; a bare 'unable' flag
    # (which the business rules report) is not one of them, so only (b) counts here.
    payload = adult_payload({"b": ["a"]})
    payload["outcomes"][0] = {"outcome": "a", "unable": True, "circumstances": []}
    result = determine_eligibility(NeedsAssessment.model_validate(payload))
    assert result.unable_outcomes == ("b",)
    assert not result.eligible


def test_an_outcome_not_assessed_is_named_in_the_reasoning_and_not_counted() -> None:
    payload = adult_payload({"a": ["a"], "b": ["a"]})
    payload["outcomes"] = payload["outcomes"][:2]
    result = determine_eligibility(NeedsAssessment.model_validate(payload))
    assert [o.code for o in result.outcomes if not o.assessed] == list("cdefghij")
    assert result.eligible  # two outcomes suffice; the rest were not needed for the verdict
    assert sum("not assessed" in line for line in result.reasoning) == 8


def test_reasoning_cites_each_condition_with_its_paragraph() -> None:
    result = determine_eligibility(NeedsAssessment.model_validate(adult_payload({"a": ["b"]})))
    lines = result.reasoning
    assert lines[0].startswith("reg 2(2)(a) (Managing and maintaining nutrition): ")
    assert "reg 2(3)(b)" in lines[0]
    assert [line.split(":")[0] for line in lines[10:13]] == [
        "reg 2(1)(a)",
        "reg 2(1)(b)",
        "reg 2(1)(c)",
    ]
    assert lines[11].startswith("reg 2(1)(b): not met.")
    assert lines[-1].startswith("SI 2015/313 reg 2: the needs do not meet")


# -- strategies from the models ---------------------------------------------------------------


def _valueset_codes(model: type[BaseModel], name: str) -> tuple[str, ...]:
    """The codes of the value set a field (or its list items) is bound to."""
    info = model.model_fields[name]
    metadata = list(info.metadata)  # pydantic keeps a scalar field's Annotated extras here
    if typing.get_origin(info.annotation) is list:
        metadata += typing.get_args(typing.get_args(info.annotation)[0])[1:]
    binding = next(m for m in metadata if isinstance(m, InValueSet))
    return default_registry().valueset(binding.valueset_id).codes


def _literal_values(model: type[BaseModel], name: str) -> tuple[str, ...]:
    return typing.get_args(model.model_fields[name].annotation)


ADULT_CODES = _valueset_codes(OutcomeAssessment, "outcome")
ADULT_CIRCUMSTANCES = _valueset_codes(OutcomeAssessment, "circumstances")
CARER_CODES = _valueset_codes(CarerOutcomeAssessment, "outcome")
CARER_CIRCUMSTANCES = _valueset_codes(CarerOutcomeAssessment, "circumstances")
SIGNIFICANCE = _literal_values(WellbeingImpact, "significance")


def _findings(codes: tuple[str, ...], circumstances: tuple[str, ...]) -> st.SearchStrategy[Any]:
    circumstance_lists = st.lists(st.sampled_from(circumstances), unique=True, max_size=2)
    return st.dictionaries(st.sampled_from(codes), circumstance_lists)


adult_findings = _findings(ADULT_CODES, ADULT_CIRCUMSTANCES)
carer_findings = _findings(CARER_CODES, CARER_CIRCUMSTANCES)
significances = st.one_of(st.none(), st.sampled_from(SIGNIFICANCE))


def _adult(findings: dict[str, list[str]], significance: str | None, impairment: bool) -> Any:
    payload = adult_payload({}, significance, impairment=impairment)
    payload["outcomes"] = [
        {"outcome": c, "unable": bool(v), "circumstances": v} for c, v in findings.items()
    ]
    return NeedsAssessment.model_validate(payload)


def _carer(
    findings: dict[str, list[str]], significance: str | None, necessary: bool, health: bool
) -> Any:
    payload = carer_payload({}, significance, necessary_care=necessary, health_at_risk=health)
    payload["outcomes"] = [
        {"outcome": c, "unable": bool(v), "circumstances": v} for c, v in findings.items()
    ]
    return CarersAssessment.model_validate(payload)


# -- properties -------------------------------------------------------------------------------


def test_the_strategies_draw_on_the_regulation_value_sets() -> None:
    assert ADULT_CODES == ADULT_OUTCOMES
    assert CARER_CODES == CARER_OUTCOMES
    assert ADULT_CIRCUMSTANCES == ("a", "b", "c", "d")
    assert CARER_CIRCUMSTANCES == ("a", "b", "c")  # reg 3(3) has no 'significantly longer'


@given(
    adult_findings,
    significances,
    st.booleans(),
    st.sampled_from(ADULT_CODES),
    st.sampled_from(ADULT_CIRCUMSTANCES),
)
def test_adding_an_unachievable_outcome_never_makes_an_adult_ineligible(
    findings: dict[str, list[str]],
    significance: str | None,
    impairment: bool,
    code: str,
    circumstance: str,
) -> None:
    before = determine_eligibility(_adult(findings, significance, impairment))
    more = {**findings, code: sorted({*findings.get(code, []), circumstance})}
    after = determine_eligibility(_adult(more, significance, impairment))
    assert len(after.unable_outcomes) >= len(before.unable_outcomes)
    if before.eligible:
        assert after.eligible


@given(
    carer_findings,
    significances,
    st.booleans(),
    st.booleans(),
    st.sampled_from(CARER_CODES),
    st.sampled_from(CARER_CIRCUMSTANCES),
)
def test_adding_an_unachievable_outcome_never_makes_a_carer_ineligible(
    findings: dict[str, list[str]],
    significance: str | None,
    necessary: bool,
    health: bool,
    code: str,
    circumstance: str,
) -> None:
    before = determine_carer_eligibility(_carer(findings, significance, necessary, health))
    more = {**findings, code: sorted({*findings.get(code, []), circumstance})}
    after = determine_carer_eligibility(_carer(more, significance, necessary, health))
    if before.eligible:
        assert after.eligible


@given(adult_findings, significances)
def test_without_an_impairment_or_illness_an_adult_is_never_eligible(
    findings: dict[str, list[str]], significance: str | None
) -> None:
    result = determine_eligibility(_adult(findings, significance, impairment=False))
    assert not result.eligible
    assert result.conditions[0].paragraph == "reg 2(1)(a)"
    assert not result.conditions[0].met


@given(carer_findings, significances, st.booleans())
def test_without_necessary_care_a_carer_is_never_eligible(
    findings: dict[str, list[str]], significance: str | None, health: bool
) -> None:
    result = determine_carer_eligibility(_carer(findings, significance, False, health))
    assert not result.eligible


@given(adult_findings, significances, st.booleans())
def test_reasoning_always_covers_all_ten_outcomes_and_three_conditions(
    findings: dict[str, list[str]], significance: str | None, impairment: bool
) -> None:
    result = determine_eligibility(_adult(findings, significance, impairment))
    assert tuple(o.code for o in result.outcomes) == ADULT_OUTCOMES
    assert [c.paragraph for c in result.conditions] == ["reg 2(1)(a)", "reg 2(1)(b)", "reg 2(1)(c)"]
    text = "\n".join(result.reasoning)
    for code in ADULT_OUTCOMES:
        assert f"reg 2(2)({code})" in text
    for outcome in result.outcomes:
        assert outcome.unable == bool(findings.get(outcome.code))


@given(carer_findings, significances, st.booleans(), st.booleans())
def test_carer_reasoning_always_covers_all_eight_outcomes(
    findings: dict[str, list[str]], significance: str | None, necessary: bool, health: bool
) -> None:
    result = determine_carer_eligibility(_carer(findings, significance, necessary, health))
    assert tuple(o.code for o in result.outcomes) == CARER_OUTCOMES
    assert [c.paragraph for c in result.conditions] == ["reg 3(1)(a)", "reg 3(1)(b)", "reg 3(1)(c)"]


@given(adult_findings, significances, st.booleans(), st.randoms(use_true_random=False))
def test_the_determination_is_deterministic_and_ignores_the_order_of_findings(
    findings: dict[str, list[str]], significance: str | None, impairment: bool, rnd: Any
) -> None:
    assessment = _adult(findings, significance, impairment)
    items = list(findings.items())
    rnd.shuffle(items)
    shuffled = _adult(dict(items), significance, impairment)
    first = determine_eligibility(assessment)
    assert determine_eligibility(assessment) == first
    assert determine_eligibility(shuffled) == first


# -- the business rule that checks a recorded decision ----------------------------------------

NEEDS = "adult-social-care/needs-assessment"
CARERS = "adult-social-care/carers-assessment"


def _contradictions(design: str, payload: dict[str, Any]) -> list[tuple[str, str]]:
    report = validate(design, payload)
    return [(i.code, i.path) for i in report.issues if i.code.endswith("contradicts-regulations")]


def test_a_recorded_decision_that_contradicts_the_regulations_is_reported() -> None:
    # One outcome only (reg 2(1)(b) not met), recorded as eligible.
    payload = adult_payload({"e": ["c"]}, decision="eligible")
    report = validate(NEEDS, payload)
    assert [(i.code, i.path) for i in report.issues] == [
        ("needs-assessment.decision-contradicts-regulations", "/eligibilityDecision")
    ]
    assert "reg 2(1)(b) not met" in report.issues[0].message
    assert not report.valid


def test_a_recorded_decision_that_agrees_is_not_reported() -> None:
    assert validate(NEEDS, adult_payload({"e": ["c"]}, decision="not-eligible")).issues == ()
    assert (
        validate(NEEDS, adult_payload({"a": ["b"], "e": ["c"]}, decision="eligible")).issues == ()
    )


def test_a_carer_refused_despite_health_at_risk_is_reported() -> None:
    payload = carer_payload({}, health_at_risk=True, decision="not-eligible")
    assert _contradictions(CARERS, payload) == [
        ("carers-assessment.decision-contradicts-regulations", "/eligibilityDecision")
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(adult_findings, st.sampled_from(SIGNIFICANCE), st.booleans())
def test_only_the_decision_the_regulations_give_passes_the_rule(
    findings: dict[str, list[str]], significance: str, impairment: bool
) -> None:
    payload = adult_payload({}, significance, impairment=impairment)
    payload["outcomes"] = [
        {"outcome": c, "unable": bool(findings.get(c)), "circumstances": findings.get(c, [])}
        for c in ADULT_OUTCOMES
    ]
    expected = determine_eligibility(NeedsAssessment.model_validate(payload)).decision
    other = "not-eligible" if expected == "eligible" else "eligible"
    assert _contradictions(NEEDS, {**payload, "eligibilityDecision": expected}) == []
    assert _contradictions(NEEDS, {**payload, "eligibilityDecision": other}) == [
        ("needs-assessment.decision-contradicts-regulations", "/eligibilityDecision")
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(carer_findings, st.sampled_from(SIGNIFICANCE), st.booleans(), st.booleans())
def test_only_the_carer_decision_the_regulations_give_passes_the_rule(
    findings: dict[str, list[str]], significance: str, necessary: bool, health: bool
) -> None:
    payload = carer_payload({}, significance, necessary_care=necessary, health_at_risk=health)
    payload["outcomes"] = [
        {"outcome": c, "unable": bool(findings.get(c)), "circumstances": findings.get(c, [])}
        for c in CARER_OUTCOMES
    ]
    expected = determine_carer_eligibility(CarersAssessment.model_validate(payload)).decision
    other = "not-eligible" if expected == "eligible" else "eligible"
    assert _contradictions(CARERS, {**payload, "eligibilityDecision": expected}) == []
    assert _contradictions(CARERS, {**payload, "eligibilityDecision": other}) != []
