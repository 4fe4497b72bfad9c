"""Records shared by every design: people, addresses, organisations, practitioners.

Field meanings follow the NHS Data Dictionary and FHIR R4 / UK Core so that a
record maps to UK Core without loss; each field cites where its codes come
from. Every field is declared with its data classification.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from sharedsvc.ig import NON_PERSONAL, PERSONAL, SPECIAL_CATEGORY, classified
from sharedsvc.models.base import PastDate, Record
from sharedsvc.terminology import Coding, InValueSet
from sharedsvc.types import UPRN, USRN, GSSCode, NHSNumber, NINumber, ODSCode, Postcode

__all__ = [
    "Address",
    "ContactPoint",
    "HumanName",
    "Identifier",
    "Organisation",
    "Period",
    "Person",
    "Practitioner",
    "RelatedPerson",
]

Text = str

#: A BCP 47 language tag (RFC 5646), the binding of UK Core Patient.communication.language.
LanguageTag = Annotated[
    str,
    Field(pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", max_length=35),
]


class Period(Record):
    """A span of dates; either end may be open."""

    start: date | None = classified(PERSONAL, "First day of the period.", None)
    end: date | None = classified(PERSONAL, "Last day of the period.", None)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.start and self.end and self.end < self.start:
            raise PydanticCustomError("period.end-before-start", "period ends before it starts")
        return self


class HumanName(Record):
    """A person's name (FHIR HumanName)."""

    use: Literal["usual", "official", "temp", "nickname", "anonymous", "old", "maiden"] = (
        classified(
            NON_PERSONAL,
            "What the name is used for (FHIR R4 NameUse: hl7.org/fhir/R4/valueset-name-use).",
            "usual",
        )
    )
    prefix: list[Text] = classified(
        PERSONAL, "Titles before the name, e.g. 'Mrs', 'Dr'.", [], max_length=5
    )
    given: list[Text] = classified(PERSONAL, "Given names, first name first.", [], max_length=10)
    family: Text = classified(PERSONAL, "Family name (surname).", min_length=1, max_length=200)


class Address(Record):
    """A postal address, with its UPRN where known (BS 7666 / GeoPlace)."""

    use: Literal["home", "work", "temp", "old", "billing"] = classified(
        NON_PERSONAL,
        "Purpose of the address (FHIR R4 AddressUse: hl7.org/fhir/R4/valueset-address-use).",
        "home",
    )
    lines: list[Text] = classified(
        PERSONAL,
        "Address lines before the town: premises, street, locality.",
        min_length=1,
        max_length=5,
    )
    town: Text | None = classified(PERSONAL, "Post town.", None, max_length=100)
    county: Text | None = classified(PERSONAL, "County or district, if given.", None)
    postcode: Postcode | None = classified(PERSONAL, "UK postcode.", None)
    uprn: UPRN | None = classified(
        PERSONAL, "Unique Property Reference Number of the premises (GeoPlace).", None
    )
    usrn: USRN | None = classified(
        NON_PERSONAL, "Unique Street Reference Number of the street (GeoPlace).", None
    )
    period: Period | None = classified(PERSONAL, "When the address applies.", None)


class ContactPoint(Record):
    """A telephone number, email address or other way to reach someone (FHIR ContactPoint)."""

    system: Literal["phone", "email", "sms", "url", "other"] = classified(
        NON_PERSONAL,
        "Kind of contact point (FHIR R4 ContactPointSystem, without fax and pager).",
    )
    value: Text = classified(PERSONAL, "The number or address.", min_length=1, max_length=256)
    use: Literal["home", "work", "temp", "old", "mobile"] | None = classified(
        NON_PERSONAL, "Purpose (FHIR R4 ContactPointUse).", None
    )
    rank: int | None = classified(
        NON_PERSONAL, "Order of preference, 1 being the most preferred.", None, ge=1
    )


class Identifier(Record):
    """Another identifier for a person or practitioner (a registration number, say)."""

    system: Text = classified(
        NON_PERSONAL,
        "URI of the issuing system, e.g. https://fhir.hl7.org.uk/Id/gmc-number.",
        min_length=1,
    )
    value: Text = classified(PERSONAL, "The identifier.", min_length=1, max_length=64)


class Person(Record):
    """The person a record is about (maps to UK Core Patient)."""

    nhs_number: NHSNumber | None = classified(
        PERSONAL, "NHS number (NHS Data Dictionary: NHS NUMBER).", None
    )
    nhs_number_verification: Annotated[str, InValueSet("nhs-number-verification-status")] | None = (
        classified(
            PERSONAL,
            "How far the NHS number has been verified (NHS Data Dictionary: NHS NUMBER STATUS "
            "INDICATOR CODE). Required when an NHS number is given.",
            None,
        )
    )
    other_identifiers: list[Identifier] = classified(
        PERSONAL,
        "Other identifiers, e.g. the council's social care client id.",
        [],
        max_length=20,
    )
    ni_number: NINumber | None = classified(
        PERSONAL, "National Insurance number, where the service needs it (HMRC).", None
    )
    names: list[HumanName] = classified(
        PERSONAL,
        "The person's names; the first 'usual' name is the one to use.",
        min_length=1,
        max_length=10,
    )
    birth_date: PastDate | None = classified(PERSONAL, "Date of birth.", None)
    stated_gender: Annotated[str, InValueSet("person-stated-gender")] | None = classified(
        PERSONAL,
        "Gender as stated by the person (NHS Data Dictionary: PERSON STATED GENDER CODE).",
        None,
    )
    phenotypic_sex: Annotated[str, InValueSet("person-phenotypic-sex")] | None = classified(
        PERSONAL,
        "Phenotypic sex (NHS Data Dictionary: PERSON PHENOTYPIC SEX), where a service needs it.",
        None,
    )
    ethnic_category: Annotated[str, InValueSet("ethnic-category")] | None = classified(
        SPECIAL_CATEGORY,
        "Ethnic category as stated by the person (NHS Data Dictionary: ETHNIC CATEGORY). "
        "Racial or ethnic origin is special category data (UK GDPR Art 9(1)).",
        None,
    )
    addresses: list[Address] = classified(PERSONAL, "Addresses.", [], max_length=10)
    telecom: list[ContactPoint] = classified(
        PERSONAL, "Telephone numbers and email addresses.", [], max_length=10
    )
    preferred_language: LanguageTag | None = classified(
        PERSONAL,
        "Preferred language as a BCP 47 tag, e.g. 'en', 'pl', 'bfi' (British Sign Language); "
        "UK Core Patient binds communication.language to all-languages (BCP 47).",
        None,
    )
    interpreter_required: bool | None = classified(
        PERSONAL,
        "Whether the person needs an interpreter (FHIR extension patient-interpreterRequired, "
        "as used by UK Core Patient).",
        None,
    )
    communication_needs: list[Annotated[Coding, InValueSet("accessible-information-need")]] = (
        classified(
            SPECIAL_CATEGORY,
            "Communication and information needs under the Accessible Information Standard "
            "(DCB1605), as SNOMED CT codes. They reveal disability, so are special category.",
            [],
            max_length=20,
        )
    )

    @model_validator(mode="after")
    def _verification_with_number(self) -> Self:
        if self.nhs_number is not None and self.nhs_number_verification is None:
            raise PydanticCustomError(
                "nhs-number.status-required",
                "an NHS number needs its verification status",
            )
        return self


class Organisation(Record):
    """An organisation: an NHS body (ODS code) or a council (ONS GSS code)."""

    name: Text = classified(NON_PERSONAL, "Name of the organisation.", min_length=1)
    ods_code: ODSCode | None = classified(
        NON_PERSONAL, "Organisation Data Service code (NHS organisations, GP practices).", None
    )
    gss_code: GSSCode | None = classified(NON_PERSONAL, "ONS GSS code of a local authority.", None)

    @model_validator(mode="after")
    def _identified(self) -> Self:
        if self.ods_code is None and self.gss_code is None:
            raise PydanticCustomError(
                "organisation.identifier-required", "an organisation needs an ODS or GSS code"
            )
        return self


class Practitioner(Record):
    """A professional acting for an organisation (social worker, nurse, GP…)."""

    name: HumanName = classified(PERSONAL, "The practitioner's name.")
    role: Text = classified(
        NON_PERSONAL, "Role or job title, e.g. 'Social worker'.", min_length=1, max_length=200
    )
    organisation: Organisation | None = classified(
        NON_PERSONAL, "The organisation the practitioner acts for.", None
    )
    identifiers: list[Identifier] = classified(
        PERSONAL,
        "Professional registrations, e.g. Social Work England number.",
        [],
        max_length=10,
    )
    telecom: list[ContactPoint] = classified(PERSONAL, "Work contact details.", [], max_length=10)


class RelatedPerson(Record):
    """Someone connected to the person: a carer, relative or advocate."""

    name: HumanName = classified(PERSONAL, "The related person's name.")
    relationship: Annotated[Coding, InValueSet("person-relationship-type")] = classified(
        PERSONAL,
        "How they are related to the person (UK Core Person Relationship Type, which mixes "
        "HL7 v3 RoleCode, HL7 v2 table 0131 and UK Core additional roles).",
    )
    is_carer: bool = classified(
        PERSONAL,
        "Whether they provide care (Care Act 2014 s10(3): a carer is an adult who provides or "
        "intends to provide care for another adult, not under contract or as voluntary work).",
        False,
    )
    telecom: list[ContactPoint] = classified(PERSONAL, "Contact details.", [], max_length=10)
    address: Address | None = classified(PERSONAL, "Their address, if different.", None)
