/** The agency checks for every subject of one case, from every agency, in one query. */
export function agencyCheckQuery(caseReference: string): string {
  return `# The agency checks for case ${caseReference}: every subject, every agency, one query.
query AgencyChecks {
  caseByReference(reference: "${caseReference}") {
    reference
    status
    referral { receivedAt referrerType concerns rag }
    subjects {
      id roleInHousehold givenName familyName dateOfBirth postcode nhsNumber
      socialCare { ...check episodes { kind startDate endDate category outcome } }
      police {
        ...check
        incidents { occurredAt type role domesticAbuseRisk summary }
        arrests { arrestedAt offence outcome }
      }
      health { ...check gpPractice registeredSince contacts { kind occurredAt service summary } }
      education {
        ...check
        school senStatus electiveHomeEducationSince missingEducationSince
        attendance { term attendancePercent }
        exclusions { kind startDate days reason }
      }
    }
  }
}

fragment check on AgencyCheck {
  agency status reason checkedAt
  match { confidence basis needsVerification differences recordReference otherCandidates }
}
`;
}
