import { CHECK_SHAPE, Tier } from '../../policies/tier';
import type { AgencyPolicy } from '../../schema/subgraphDefinition';

/** Children's social care's fields, tiered: an episode's category and outcome are detail. */
export const socialCarePolicy: AgencyPolicy = {
  checkField: 'socialCare',
  fieldTiers: {
    SocialCareCheck: { ...CHECK_SHAPE, episodes: Tier.SUMMARY },
    SocialCareEpisode: {
      recordId: Tier.SUMMARY,
      awaitingRelease: Tier.SUMMARY,
      kind: Tier.SUMMARY,
      startDate: Tier.SUMMARY,
      endDate: Tier.SUMMARY,
      category: Tier.DETAIL,
      outcome: Tier.DETAIL,
    },
  },
  exampleFields: 'episodes { kind startDate endDate category outcome }',
  events: [
    {
      records: 'episodes',
      type: 'SocialCareEpisode',
      reference: 'id',
      date: 'startDate',
      kind: { field: 'kind' },
      summary: ['outcome'],
    },
  ],
};
