"""NHS England UK Core facts the mappings rely on: profiles, identifier systems, extensions.

Every URL here was checked against the UK Core StructureDefinitions (STU3
sequence, NHSDigital/FHIR-R4-UKCORE-STAGING-MAIN at commit 3d2827e3) and the
UK Naming Systems index on simplifier.net; where UK Core or NHS England name no
identifier system, the note says which one sharedsvc uses and why.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ADDRESS_KEY",
    "ADDRESS_KEY_TYPE_SYSTEM",
    "BIRTH_SEX",
    "DATA_ABSENT_REASON",
    "ETHNIC_CATEGORY",
    "GSS_SYSTEM",
    "INTERPRETER_REQUIRED",
    "NHS_NUMBER_SYSTEM",
    "NHS_NUMBER_VERIFICATION",
    "NI_NUMBER_SYSTEM",
    "ODS_SYSTEM",
    "PROFILES",
    "SOURCE_OF_SERVICE_REQUEST",
    "profile",
]

_SD: Final = "https://fhir.hl7.org.uk/StructureDefinition/"


def profile(resource_type: str) -> str:
    """The UK Core profile URL of a resource type, e.g. ``UKCore-Patient``."""
    return f"{_SD}UKCore-{resource_type}"


#: UK Core profiles sharedsvc emits (UK Core STU3 sequence).
PROFILES: Final = {
    name: profile(name)
    for name in (
        "Bundle",
        "CarePlan",
        "CareTeam",
        "Composition",
        "Condition",
        "Consent",
        "Encounter",
        "Flag",
        "Observation",
        "Organization",
        "Patient",
        "Practitioner",
        "PractitionerRole",
        "Provenance",
        "QuestionnaireResponse",
        "RelatedPerson",
        "ServiceRequest",
        "Task",
    )
}

# -- identifier systems ------------------------------------------------------------------------

#: NHS number: the fixed system of the UKCore-Patient ``identifier:nhsNumber`` slice.
NHS_NUMBER_SYSTEM: Final = "https://fhir.nhs.uk/Id/nhs-number"
#: ODS organisation code: the fixed system of the UKCore-Organization slice
#: ``identifier:odsOrganisationCode``.
ODS_SYSTEM: Final = "https://fhir.nhs.uk/Id/ods-organization-code"
#: ONS GSS code of a local authority. Neither UK Core nor the UK Naming Systems index
#: defines an identifier system for GSS codes; sharedsvc uses the ONS linked-data
#: namespace, under which ``http://statistics.data.gov.uk/id/statistical-geography/<code>``
#: identifies the area (the form Open Referral UK uses for service areas).
GSS_SYSTEM: Final = "http://statistics.data.gov.uk/id/statistical-geography"
#: National Insurance number. No UK Core, NHS England or HMRC identifier system is
#: published (the UK Naming Systems index lists none), so the system is local to sharedsvc.
NI_NUMBER_SYSTEM: Final = "urn:sharedsvc:id:uk-national-insurance-number"

# -- extensions --------------------------------------------------------------------------------

#: On Patient.identifier (NHS number slice, 1..1 there); valueCodeableConcept bound
#: (required) to UKCore-NHSNumberVerificationStatus.
NHS_NUMBER_VERIFICATION: Final = f"{_SD}Extension-UKCore-NHSNumberVerificationStatus"
#: On Patient (0..1); valueCodeableConcept bound (extensible) to UKCore-EthnicCategory.
ETHNIC_CATEGORY: Final = f"{_SD}Extension-UKCore-EthnicCategory"
#: The HL7 core extension UKCore-Patient slices as ``patientInterpreterRequired``
#: (valueBoolean). UK Core's Extension-UKCore-NHSCommunication also carries an
#: interpreterRequired sub-extension, but UKCore-Patient does not use it.
INTERPRETER_REQUIRED: Final = "http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired"
#: On Patient; "the patient's phenotypic sex at birth", valueCodeableConcept bound
#: (required) to UKCore-BirthSex (HL7 v3 AdministrativeGender, NullFlavor UNK).
BIRTH_SEX: Final = f"{_SD}Extension-UKCore-BirthSex"
#: On Address: an address key (``type`` PAF or UPRN, extensible) and its ``value``.
ADDRESS_KEY: Final = f"{_SD}Extension-UKCore-AddressKey"
ADDRESS_KEY_TYPE_SYSTEM: Final = "https://fhir.hl7.org.uk/CodeSystem/UKCore-AddressKeyType"
#: On ServiceRequest (0..1): the source of the request, valueCodeableConcept bound
#: (preferred) to UKCore-SourceOfServiceRequest.
SOURCE_OF_SERVICE_REQUEST: Final = f"{_SD}Extension-UKCore-SourceOfServiceRequest"
#: HL7 core extension that says why a required value is absent.
DATA_ABSENT_REASON: Final = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"

# -- code systems ------------------------------------------------------------------------------

BCP47: Final = "urn:ietf:bcp:47"
V3_ADMINISTRATIVE_GENDER: Final = "http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender"
V3_NULL_FLAVOR: Final = "http://terminology.hl7.org/CodeSystem/v3-NullFlavor"
