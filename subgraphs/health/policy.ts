import { CHECK_SHAPE, Tier } from '../../policies/tier';
import type { AgencyPolicy } from '../../schema/subgraphDefinition';

/**
 * Health's fields, tiered: what a contact was about is clinical (special category); who referred
 * to a service and when is a headline, why they referred is detail.
 */
export const healthPolicy: AgencyPolicy = {
  checkField: 'health',
  fieldTiers: {
    HealthCheck: {
      ...CHECK_SHAPE,
      gpPractice: Tier.SUMMARY,
      registeredSince: Tier.SUMMARY,
      contacts: Tier.SUMMARY,
      referrals: Tier.SUMMARY,
    },
    HealthContact: {
      recordId: Tier.SUMMARY,
      awaitingRelease: Tier.SUMMARY,
      kind: Tier.SUMMARY,
      occurredAt: Tier.SUMMARY,
      service: Tier.SUMMARY,
      summary: Tier.SPECIAL_CATEGORY,
    },
    HealthReferral: {
      service: Tier.SUMMARY,
      referredOn: Tier.SUMMARY,
      source: Tier.SUMMARY,
      reason: Tier.DETAIL,
    },
  },
  exampleFields: `gpPractice registeredSince contacts { kind occurredAt service summary }
        referrals { service referredOn source reason }`,
  // A contact's clinical summary is special category; below it, the service says what it was.
  events: [
    {
      records: 'contacts',
      type: 'HealthContact',
      reference: 'id',
      date: 'occurredAt',
      kind: { field: 'kind' },
      summary: ['summary', 'service'],
    },
    {
      records: 'referrals',
      type: 'HealthReferral',
      reference: 'id',
      date: 'referredOn',
      kind: { fixed: 'HEALTH_REFERRAL' },
      summary: ['reason', 'service'],
    },
  ],
};
