"""Eligibility determinations under the Care and Support (Eligibility Criteria) Regulations 2015.

Care Act 2014 s13(1) requires a council, once satisfied that an adult has needs for care
and support (or a carer needs for support), to determine whether any of the needs meet the
eligibility criteria, and s13(2) to give a written record of the determination and the
reasons for it. The criteria are set by SI 2015/313
(https://www.legislation.gov.uk/uksi/2015/313):

* regulation 2 for adults: (a) the needs arise from or are related to a physical or mental
  impairment or illness, (b) as a result the adult is unable to achieve two or more of the
  ten outcomes of reg 2(2), and (c) as a consequence there is, or is likely to be, a
  significant impact on the adult's well-being;
* regulation 3 for carers: (a) the needs arise as a consequence of providing necessary care
  for an adult, (b) the effect is that the carer's physical or mental health is, or is at
  risk of, deteriorating (reg 3(2)(a)) or the carer is unable to achieve any of the eight
  outcomes of reg 3(2)(b), and (c) as a consequence there is, or is likely to be, a
  significant impact on the carer's well-being.

An outcome counts as one the person is unable to achieve when a circumstance of reg 2(3)
(adults: without assistance, significant pain/distress/anxiety, danger to health or
safety, significantly longer than normal) or reg 3(3) (carers: the first three only) is
recorded for it. These functions apply the regulations to the facts an assessor recorded;
the professional judgements (is there an impairment, is the impact significant) stay with
the assessor. The result is the same every time for the same record, and its reasoning
names every outcome and every condition with the paragraph it applies, so it can be given
to the person as the s13(2) record of reasons.

No personal data appears in the reasoning: only regulation paragraphs, the regulation's
own outcome titles and counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from sharedsvc.models.adult_social_care import (
    CarerOutcomeAssessment,
    CarersAssessment,
    EligibilityDecision,
    NeedsAssessment,
    OutcomeAssessment,
    WellbeingImpact,
)
from sharedsvc.registry import default_registry

__all__ = [
    "ADULT_OUTCOMES",
    "CARER_OUTCOMES",
    "ConditionFinding",
    "EligibilityDetermination",
    "OutcomeFinding",
    "determine_carer_eligibility",
    "determine_eligibility",
]

#: The outcome codes of SI 2015/313 reg 2(2), in the regulation's order.
ADULT_OUTCOMES: Final = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")
#: The outcome codes of SI 2015/313 reg 3(2)(b), in the regulation's order.
CARER_OUTCOMES: Final = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii")

#: Reg 2(1)(b): the adult must be unable to achieve two or more of the outcomes.
ADULT_THRESHOLD: Final = 2
#: Reg 3(2)(b): the carer need only be unable to achieve any one of the outcomes.
CARER_THRESHOLD: Final = 1

_SIGNIFICANT: Final = frozenset({"significant", "likely-significant"})


@dataclass(frozen=True, slots=True)
class OutcomeFinding:
    """The finding on one specified outcome."""

    #: The outcome's code: the paragraph letter or numeral of the regulation.
    code: str
    #: The paragraph that specifies the outcome, e.g. 'reg 2(2)(a)'.
    paragraph: str
    #: The outcome, as the value set names it.
    title: str
    #: Whether the assessment recorded a finding on this outcome at all.
    assessed: bool
    #: Whether the person is regarded as unable to achieve it (reg 2(3) or 3(3)).
    unable: bool
    #: The circumstances that make the person unable, as paragraphs, e.g. 'reg 2(3)(b)'.
    circumstances: tuple[str, ...]
    #: One sentence a person can read.
    explanation: str


@dataclass(frozen=True, slots=True)
class ConditionFinding:
    """The finding on one of the three conditions of reg 2(1) or reg 3(1)."""

    #: The paragraph applied, e.g. 'reg 2(1)(a)'.
    paragraph: str
    met: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class EligibilityDetermination:
    """What SI 2015/313 gives for the facts recorded in an assessment, with its reasons."""

    #: 'SI 2015/313 reg 2' (adults) or 'SI 2015/313 reg 3' (carers).
    regulation: str
    eligible: bool
    #: Every specified outcome, in the regulation's order, assessed or not.
    outcomes: tuple[OutcomeFinding, ...]
    #: The three conditions, (a) to (c), each with the paragraph it applies.
    conditions: tuple[ConditionFinding, ...]

    @property
    def decision(self) -> EligibilityDecision:
        """The decision as a record states it: 'eligible' or 'not-eligible'."""
        return "eligible" if self.eligible else "not-eligible"

    @property
    def unable_outcomes(self) -> tuple[str, ...]:
        """Codes of the outcomes the person is regarded as unable to achieve."""
        return tuple(o.code for o in self.outcomes if o.unable)

    @property
    def reasoning(self) -> list[str]:
        """The reasons, outcome by outcome and condition by condition, then the decision."""
        lines = [f"{o.paragraph} ({o.title}): {o.explanation}" for o in self.outcomes]
        lines += [
            f"{c.paragraph}: {'met' if c.met else 'not met'}. {c.explanation}"
            for c in self.conditions
        ]
        verdict = "meet" if self.eligible else "do not meet"
        lines.append(
            f"{self.regulation}: the needs {verdict} the eligibility criteria"
            + ("." if self.eligible else " (every condition must be met).")
        )
        return lines


def determine_eligibility(assessment: NeedsAssessment) -> EligibilityDetermination:
    """Apply SI 2015/313 regulation 2 to an adult's needs assessment."""
    outcomes = _outcome_findings(
        assessment.outcomes,
        ADULT_OUTCOMES,
        outcome_paragraph="reg 2(2)",
        circumstance_paragraph="reg 2(3)",
        valueset="eligibility-outcome",
        circumstance_valueset="unable-to-achieve-reason",
        who="adult",
    )
    unable = [o for o in outcomes if o.unable]
    impairment = assessment.needs_from_impairment_or_illness
    conditions = (
        ConditionFinding(
            "reg 2(1)(a)",
            impairment,
            "The needs arise from or are related to a physical or mental impairment or illness."
            if impairment
            else "The needs are not recorded as arising from or related to a physical or "
            "mental impairment or illness.",
        ),
        ConditionFinding(
            "reg 2(1)(b)",
            len(unable) >= ADULT_THRESHOLD,
            f"The adult is unable to achieve {_count(unable)} of the ten outcomes of reg 2(2)"
            f"{_listed(unable)}; two or more are required.",
        ),
        _wellbeing_condition("reg 2(1)(c)", assessment.wellbeing_impact, "adult"),
    )
    return EligibilityDetermination(
        "SI 2015/313 reg 2", all(c.met for c in conditions), outcomes, conditions
    )


def determine_carer_eligibility(assessment: CarersAssessment) -> EligibilityDetermination:
    """Apply SI 2015/313 regulation 3 to a carer's assessment."""
    outcomes = _outcome_findings(
        assessment.outcomes,
        CARER_OUTCOMES,
        outcome_paragraph="reg 3(2)(b)",
        circumstance_paragraph="reg 3(3)",
        valueset="carer-eligibility-outcome",
        circumstance_valueset="carer-unable-to-achieve-reason",
        who="carer",
    )
    unable = [o for o in outcomes if o.unable]
    necessary_care = assessment.needs_from_providing_necessary_care
    health = assessment.health_deteriorating_or_at_risk
    routes = []
    if health:
        routes.append("the carer's physical or mental health is, or is at risk of, deteriorating")
    if len(unable) >= CARER_THRESHOLD:
        routes.append(
            f"the carer is unable to achieve {_count(unable)} of the eight outcomes of "
            f"reg 3(2)(b){_listed(unable)}"
        )
    effect = (
        "Reg 3(2) applies: " + " and ".join(routes) + "."
        if routes
        else "Neither circumstance of reg 3(2) applies: the carer's health is not recorded as "
        "deteriorating or at risk (reg 3(2)(a)), and no outcome of reg 3(2)(b) is recorded "
        "as one the carer is unable to achieve."
    )
    conditions = (
        ConditionFinding(
            "reg 3(1)(a)",
            necessary_care,
            "The needs arise as a consequence of providing necessary care for an adult."
            if necessary_care
            else "The needs are not recorded as arising from providing necessary care for an "
            "adult.",
        ),
        ConditionFinding("reg 3(1)(b)", bool(routes), effect),
        _wellbeing_condition("reg 3(1)(c)", assessment.wellbeing_impact, "carer"),
    )
    return EligibilityDetermination(
        "SI 2015/313 reg 3", all(c.met for c in conditions), outcomes, conditions
    )


# -- the pieces --------------------------------------------------------------------------------


def _outcome_findings(
    recorded: Sequence[OutcomeAssessment | CarerOutcomeAssessment],
    codes: Sequence[str],
    *,
    outcome_paragraph: str,
    circumstance_paragraph: str,
    valueset: str,
    circumstance_valueset: str,
    who: Literal["adult", "carer"],
) -> tuple[OutcomeFinding, ...]:
    """A finding for every specified outcome, in the regulation's order.

    An outcome recorded more than once (a data error the business rules report) counts as
    unable if any entry records a circumstance; the circumstances of all entries are merged,
    so the result does not depend on the order of the entries.
    """
    registry = default_registry()
    titles = registry.valueset(valueset)
    meanings = registry.valueset(circumstance_valueset)
    by_code: dict[str, set[str]] = {}
    for entry in recorded:
        by_code.setdefault(entry.outcome, set()).update(entry.circumstances)
    findings = []
    for code in codes:
        title = titles.display(code) or code
        paragraph = f"{outcome_paragraph}({code})"
        if code not in by_code:
            findings.append(
                OutcomeFinding(
                    code,
                    paragraph,
                    title,
                    assessed=False,
                    unable=False,
                    circumstances=(),
                    explanation="not assessed, so not counted as an outcome the "
                    f"{who} is unable to achieve.",
                )
            )
            continue
        circumstances = sorted(by_code[code])
        cited = tuple(f"{circumstance_paragraph}({c})" for c in circumstances)
        if circumstances:
            why = "; ".join(
                f"{p}: {(meanings.display(c) or c).lower()}"
                for p, c in zip(cited, circumstances, strict=True)
            )
            explanation = f"the {who} is regarded as unable to achieve it ({why})."
        else:
            explanation = (
                f"the {who} can achieve it: no circumstance of {circumstance_paragraph} is "
                "recorded."
            )
        findings.append(
            OutcomeFinding(
                code,
                paragraph,
                title,
                assessed=True,
                unable=bool(circumstances),
                circumstances=cited,
                explanation=explanation,
            )
        )
    return tuple(findings)


def _wellbeing_condition(
    paragraph: str, impact: WellbeingImpact | None, who: Literal["adult", "carer"]
) -> ConditionFinding:
    if impact is None:
        return ConditionFinding(
            paragraph, False, f"The impact on the {who}'s well-being has not been assessed."
        )
    met = impact.significance in _SIGNIFICANT
    text = {
        "significant": f"There is a significant impact on the {who}'s well-being.",
        "likely-significant": f"There is likely to be a significant impact on the {who}'s "
        "well-being.",
        "not-significant": f"There is not, and is not likely to be, a significant impact on "
        f"the {who}'s well-being.",
    }[impact.significance]
    if impact.areas:
        areas = ", ".join(f"({a})" for a in impact.areas)
        text += f" Areas of well-being affected: Care Act 2014 s1(2){areas}."
    return ConditionFinding(paragraph, met, text)


def _count(findings: Sequence[OutcomeFinding]) -> str:
    return "none" if not findings else str(len(findings))


def _listed(findings: Iterable[OutcomeFinding]) -> str:
    codes = [f.code for f in findings]
    return f" ({', '.join(codes)})" if codes else ""
