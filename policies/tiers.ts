import { AGENCIES } from '../subgraphs/agencies';
import { releaseMutation } from './custodianRelease';
import { CHECK_SHAPE, Tier, TIER_NAMES } from './tier';

export { CHECK_SHAPE, Tier, TIER_NAMES };

/** The agency check fields on Subject and the agency (subgraph) that is custodian of each. */
export const AGENCY_CHECK_FIELDS: Record<string, string> = Object.fromEntries(
  AGENCIES.map((agency) => [agency.policy.checkField, agency.name]),
);

/**
 * The tier of every field the hub or an agency (the custodian) can share, by GraphQL type and field:
 * the hub's own types here, each agency's from its own folder (`subgraphs/<agency>/policy.ts`). A
 * test checks that every field of every agency type in the supergraph is listed: a new field is
 * closed until it is given a tier.
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
      familyInformed: Tier.IDENTITY,
      // The frame only: each agency decides each of its events for the caller (policies/chronology.ts).
      chronology: Tier.IDENTITY,
      cumulativePicture: Tier.IDENTITY,
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
      about: Tier.IDENTITY,
      earlyHelpAssessment: Tier.IDENTITY,
    },
  },
  // What a referral carries or owes: the child's Early Help Assessment, whether the family was told.
  EarlyHelpAssessment: {
    custodian: 'mash',
    fields: {
      reference: Tier.IDENTITY,
      summary: Tier.IDENTITY,
      suppliedAt: Tier.IDENTITY,
      dueAt: Tier.IDENTITY,
      overdue: Tier.IDENTITY,
    },
  },
  FamilyInformed: {
    custodian: 'mash',
    fields: {
      told: Tier.IDENTITY,
      toldBy: Tier.IDENTITY,
      toldAt: Tier.IDENTITY,
      notToldReason: Tier.IDENTITY,
      notToldDecidedBy: Tier.IDENTITY,
      recordedBy: Tier.IDENTITY,
      recordedAt: Tier.IDENTITY,
      needsAttention: Tier.IDENTITY,
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
      receivingService: Tier.IDENTITY,
      agencyActions: Tier.IDENTITY,
    },
  },
  // The header of a person's earlier case: as sensitive as knowing there was one.
  EarlierMashCase: {
    custodian: 'mash',
    fields: Object.fromEntries(
      [
        'reference',
        'status',
        'openedAt',
        'decidedAt',
        'outcome',
        'receivingService',
        'matchedBy',
      ].map((field) => [field, Tier.SUMMARY]),
    ),
  },
  AgencyAction: {
    custodian: 'mash',
    fields: { agency: Tier.IDENTITY, action: Tier.IDENTITY, dueDate: Tier.IDENTITY },
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
      // The frame only: each agency decides each of its events for the caller (policies/chronology.ts).
      chronology: Tier.IDENTITY,
      chronologyChanges: Tier.IDENTITY,
      cumulativePicture: Tier.IDENTITY,
      // That the MASH has known the person before is itself information, as an agency knowing them is.
      earlierMashCases: Tier.SUMMARY,
      // Whether an agency knows the person at all is itself information: summary.
      ...Object.fromEntries(Object.keys(AGENCY_CHECK_FIELDS).map((f) => [f, Tier.SUMMARY])),
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
      capacityAssessments: Tier.IDENTITY,
    },
  },
  // An adult at risk's capacity to consent: what the hub needs to know whose consent counts.
  CapacityAssessment: {
    custodian: 'mash',
    fields: {
      subjectId: Tier.IDENTITY,
      hasCapacity: Tier.IDENTITY,
      assessedBy: Tier.IDENTITY,
      assessedAt: Tier.IDENTITY,
      notes: Tier.IDENTITY,
      recordedBy: Tier.IDENTITY,
      recordedAt: Tier.IDENTITY,
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
  ...agencyFieldTiers(),
};

/** Every agency's types, each with that agency as custodian; a type two agencies claim is an error. */
function agencyFieldTiers(): typeof FIELD_TIERS {
  const types: typeof FIELD_TIERS = {};
  for (const agency of AGENCIES) {
    for (const [typeName, fields] of Object.entries(agency.policy.fieldTiers)) {
      if (types[typeName]) {
        throw new Error(
          `${agency.name} and ${types[typeName].custodian} both tier the type ${typeName}: name each agency's types after the agency.`,
        );
      }
      types[typeName] = { custodian: agency.name, fields };
    }
  }
  return types;
}

/** Each agency's release mutation (`releasePoliceRecord`), and the agency whose records it releases. */
const RELEASE_MUTATIONS: Record<string, string> = Object.fromEntries(
  AGENCIES.map((agency) => [releaseMutation(agency.name), agency.name]),
);

/**
 * The agency that is custodian of a field (null for the check shape every agency shares). A
 * release acts on its custodian's own records: granted or refused, it is in that custodian's
 * access log (the audit's `custodians`).
 */
export function custodianOf(typeName: string, fieldName: string): string | null {
  if (typeName === 'Subject' && AGENCY_CHECK_FIELDS[fieldName])
    return AGENCY_CHECK_FIELDS[fieldName];
  if (typeName === 'Mutation' && RELEASE_MUTATIONS[fieldName]) return RELEASE_MUTATIONS[fieldName];
  return FIELD_TIERS[typeName]?.custodian ?? null;
}
