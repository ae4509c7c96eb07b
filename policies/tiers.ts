/**
 * How sensitive a field is. A request may see a field only up to the tier its purpose and its
 * lawful basis allow (`consent.ts`) and its role's need to know allows (`needToKnow.ts`).
 */
export enum Tier {
  /** Who the person is, and which agency holds records. */
  IDENTITY = 0,
  /** That the agency knows them and the headline facts: dates, types, roles, plans. */
  SUMMARY = 1,
  /** Narrative and outcomes: what happened, what was said, what was decided. */
  DETAIL = 2,
  /** Clinical detail, mental-health and sexual-health information, police intelligence. */
  SPECIAL_CATEGORY = 3,
}

export const TIER_NAMES = ['IDENTITY', 'SUMMARY', 'DETAIL', 'SPECIAL_CATEGORY'] as const;

/** The outer shape every agency check shares (the `AgencyCheck` interface): as sensitive as the check. */
const CHECK_SHAPE: Record<string, Tier> = {
  agency: Tier.IDENTITY,
  reason: Tier.IDENTITY,
  status: Tier.SUMMARY,
  match: Tier.SUMMARY,
  checkedAt: Tier.SUMMARY,
};

/**
 * The tier of every field an agency (the custodian) can share, by GraphQL type and field. A test
 * checks that every field of every agency type in the supergraph is listed: a new field is closed
 * until it is given a tier here.
 */
export const FIELD_TIERS: Record<
  string,
  { custodian: string | null; fields: Record<string, Tier> }
> = {
  // The hub's own records, needed to run the checks at all.
  Case: {
    custodian: 'mash',
    fields: {
      id: Tier.IDENTITY,
      reference: Tier.IDENTITY,
      status: Tier.IDENTITY,
      openedAt: Tier.IDENTITY,
      subjects: Tier.IDENTITY,
      referral: Tier.IDENTITY,
      consent: Tier.IDENTITY,
      decisionDueAt: Tier.IDENTITY,
      triage: Tier.IDENTITY,
      agencyChecks: Tier.IDENTITY,
      decision: Tier.IDENTITY,
    },
  },
  Referral: {
    custodian: 'mash',
    fields: {
      id: Tier.IDENTITY,
      receivedAt: Tier.IDENTITY,
      referrerType: Tier.IDENTITY,
      referrerName: Tier.IDENTITY,
      referrerOrganisation: Tier.IDENTITY,
      referrerContact: Tier.IDENTITY,
      concerns: Tier.IDENTITY,
      immediateRisk: Tier.IDENTITY,
      consentSought: Tier.IDENTITY,
      consentGiven: Tier.IDENTITY,
      rag: Tier.IDENTITY,
    },
  },
  // The hub's workflow: triage, the agencies' checks and the decision.
  Triage: {
    custodian: 'mash',
    fields: {
      rag: Tier.IDENTITY,
      threshold: Tier.IDENTITY,
      level: Tier.IDENTITY,
      reason: Tier.IDENTITY,
      triagedBy: Tier.IDENTITY,
      triagedAt: Tier.IDENTITY,
      checksDueAt: Tier.IDENTITY,
    },
  },
  AgencyCheckTask: {
    custodian: 'mash',
    fields: {
      agency: Tier.IDENTITY,
      requestedAt: Tier.IDENTITY,
      dueAt: Tier.IDENTITY,
      completedAt: Tier.IDENTITY,
      completedBy: Tier.IDENTITY,
      // What an agency chose to share with the hub: beyond identity, so it needs a lawful basis.
      summary: Tier.SUMMARY,
      worries: Tier.SUMMARY,
      workingWell: Tier.SUMMARY,
      needsToHappen: Tier.SUMMARY,
      riskView: Tier.SUMMARY,
    },
  },
  Decision: {
    custodian: 'mash',
    fields: {
      outcome: Tier.IDENTITY,
      rationale: Tier.IDENTITY,
      ragAfterChecks: Tier.IDENTITY,
      decidedBy: Tier.IDENTITY,
      decidedAt: Tier.IDENTITY,
      withinDeadline: Tier.IDENTITY,
      checksOutstanding: Tier.IDENTITY,
    },
  },
  Subject: {
    custodian: 'mash',
    fields: {
      id: Tier.IDENTITY,
      roleInHousehold: Tier.IDENTITY,
      givenName: Tier.IDENTITY,
      familyName: Tier.IDENTITY,
      dateOfBirth: Tier.IDENTITY,
      sex: Tier.IDENTITY,
      addressLine: Tier.IDENTITY,
      postcode: Tier.IDENTITY,
      nhsNumber: Tier.IDENTITY,
      // Whether an agency knows the person at all is itself information: summary.
      socialCare: Tier.SUMMARY,
      police: Tier.SUMMARY,
      health: Tier.SUMMARY,
      education: Tier.SUMMARY,
    },
  },
  ConsentRecord: {
    custodian: 'mash',
    fields: {
      state: Tier.IDENTITY,
      grounds: Tier.IDENTITY,
      recordedBy: Tier.IDENTITY,
      recordedAt: Tier.IDENTITY,
      notes: Tier.IDENTITY,
    },
  },
  RecordedGround: {
    custodian: 'mash',
    fields: {
      ground: Tier.IDENTITY,
      authorisedBy: Tier.IDENTITY,
      authorisedAt: Tier.IDENTITY,
      reason: Tier.IDENTITY,
    },
  },
  // The shared outer shape of every check: as sensitive as the check itself.
  AgencyCheck: { custodian: null, fields: CHECK_SHAPE },
  IdentityMatch: {
    custodian: null,
    fields: {
      confidence: Tier.SUMMARY,
      basis: Tier.SUMMARY,
      needsVerification: Tier.SUMMARY,
      differences: Tier.SUMMARY,
      recordReference: Tier.SUMMARY,
      otherCandidates: Tier.SUMMARY,
    },
  },
  PoliceCheck: {
    custodian: 'police',
    fields: { ...CHECK_SHAPE, incidents: Tier.SUMMARY, arrests: Tier.SUMMARY },
  },
  IncidentRecord: {
    custodian: 'police',
    fields: {
      recordId: Tier.SUMMARY,
      occurredAt: Tier.SUMMARY,
      type: Tier.SUMMARY,
      role: Tier.SUMMARY,
      awaitingRelease: Tier.SUMMARY,
      domesticAbuseRisk: Tier.DETAIL,
      summary: Tier.DETAIL,
    },
  },
  PoliceArrest: {
    custodian: 'police',
    fields: { arrestedAt: Tier.SUMMARY, offence: Tier.SUMMARY, outcome: Tier.DETAIL },
  },
  HealthCheck: {
    custodian: 'health',
    fields: {
      ...CHECK_SHAPE,
      gpPractice: Tier.SUMMARY,
      registeredSince: Tier.SUMMARY,
      contacts: Tier.SUMMARY,
    },
  },
  HealthContact: {
    custodian: 'health',
    fields: {
      kind: Tier.SUMMARY,
      occurredAt: Tier.SUMMARY,
      service: Tier.SUMMARY,
      summary: Tier.SPECIAL_CATEGORY,
    },
  },
  EducationCheck: {
    custodian: 'education',
    fields: {
      ...CHECK_SHAPE,
      school: Tier.SUMMARY,
      senStatus: Tier.DETAIL,
      electiveHomeEducationSince: Tier.SUMMARY,
      missingEducationSince: Tier.SUMMARY,
      attendance: Tier.SUMMARY,
      exclusions: Tier.SUMMARY,
    },
  },
  TermAttendance: {
    custodian: 'education',
    fields: { term: Tier.SUMMARY, termEnded: Tier.SUMMARY, attendancePercent: Tier.SUMMARY },
  },
  Exclusion: {
    custodian: 'education',
    fields: {
      kind: Tier.SUMMARY,
      startDate: Tier.SUMMARY,
      days: Tier.SUMMARY,
      reason: Tier.DETAIL,
    },
  },
  SocialCareCheck: { custodian: 'social-care', fields: { ...CHECK_SHAPE, episodes: Tier.SUMMARY } },
  SocialCareEpisode: {
    custodian: 'social-care',
    fields: {
      kind: Tier.SUMMARY,
      startDate: Tier.SUMMARY,
      endDate: Tier.SUMMARY,
      category: Tier.DETAIL,
      outcome: Tier.DETAIL,
    },
  },
};

/** The agency check fields on Subject and the agency (subgraph) that is custodian of each. */
export const AGENCY_CHECK_FIELDS: Record<string, string> = {
  socialCare: 'social-care',
  police: 'police',
  health: 'health',
  education: 'education',
};

/** The agency that is custodian of a field (null for the check shape every agency shares). */
export function custodianOf(typeName: string, fieldName: string): string | null {
  if (typeName === 'Subject' && AGENCY_CHECK_FIELDS[fieldName])
    return AGENCY_CHECK_FIELDS[fieldName];
  return FIELD_TIERS[typeName]?.custodian ?? null;
}
