import { CHECK_SHAPE, Tier } from '../../policies/tier';
import type { AgencyPolicy } from '../../schema/subgraphDefinition';

/** Mental-health information is special category (UK GDPR article 9): the tier of its records by default. */
const BY_DEFAULT = Tier.SPECIAL_CATEGORY;

/**
 * The mental health trust's fields, tiered special category by default. The one exception: that
 * a person is open to a team, which team and since when, is detail (the trust's own researcher
 * and a manager see it for an agency check); crises, admissions and detentions under the Mental
 * Health Act only for a strategy discussion.
 */
export const mentalHealthPolicy: AgencyPolicy = {
  checkField: 'mentalHealth',
  fieldTiers: {
    MentalHealthCheck: {
      ...CHECK_SHAPE,
      episodes: Tier.DETAIL,
      crisisContacts: BY_DEFAULT,
      admissions: BY_DEFAULT,
    },
    MentalHealthEpisode: {
      team: Tier.DETAIL,
      openedOn: Tier.DETAIL,
      closedOn: Tier.DETAIL,
      careCoordinatorTeam: Tier.DETAIL,
    },
    MentalHealthCrisisContact: {
      recordId: Tier.SUMMARY,
      awaitingRelease: Tier.SUMMARY,
      kind: BY_DEFAULT,
      occurredOn: BY_DEFAULT,
      summary: BY_DEFAULT,
    },
    MentalHealthAdmission: {
      recordId: Tier.SUMMARY,
      awaitingRelease: Tier.SUMMARY,
      admittedOn: BY_DEFAULT,
      dischargedOn: BY_DEFAULT,
      legalStatus: BY_DEFAULT,
    },
  },
  exampleFields: `episodes { team openedOn closedOn careCoordinatorTeam }
        crisisContacts { kind occurredOn summary }
        admissions { admittedOn dischargedOn legalStatus }`,
  // Even that these happened is detail (open to a team) or special category (crises, admissions):
  // to most callers they are counts, withheld by rule (policies/chronology.ts).
  events: [
    {
      records: 'episodes',
      type: 'MentalHealthEpisode',
      reference: 'id',
      date: 'openedOn',
      kind: { fixed: 'OPEN_TO_TEAM' },
      summary: ['team'],
    },
    {
      records: 'crisisContacts',
      type: 'MentalHealthCrisisContact',
      reference: 'id',
      date: 'occurredOn',
      kind: { field: 'kind' },
      summary: ['summary'],
    },
    {
      records: 'admissions',
      type: 'MentalHealthAdmission',
      reference: 'id',
      date: 'admittedOn',
      kind: { fixed: 'ADMISSION' },
      summary: ['legalStatus'],
    },
  ],
};
