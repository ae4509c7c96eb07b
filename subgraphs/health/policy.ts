import { CHECK_SHAPE, Tier } from '../../policies/tier';
import type { AgencyPolicy } from '../../schema/subgraphDefinition';

/** Health's fields, tiered: what a contact was about is clinical (special category). */
export const healthPolicy: AgencyPolicy = {
  checkField: 'health',
  fieldTiers: {
    HealthCheck: {
      ...CHECK_SHAPE,
      gpPractice: Tier.SUMMARY,
      registeredSince: Tier.SUMMARY,
      contacts: Tier.SUMMARY,
    },
    HealthContact: {
      recordId: Tier.SUMMARY,
      awaitingRelease: Tier.SUMMARY,
      kind: Tier.SUMMARY,
      occurredAt: Tier.SUMMARY,
      service: Tier.SUMMARY,
      summary: Tier.SPECIAL_CATEGORY,
    },
  },
  exampleFields: 'gpPractice registeredSince contacts { kind occurredAt service summary }',
};
