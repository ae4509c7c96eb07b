import { CHECK_SHAPE, Tier } from '../../policies/tier';
import type { AgencyPolicy } from '../../schema/subgraphDefinition';

/** The police's fields, tiered: incident narrative and risk grades are detail. */
export const policePolicy: AgencyPolicy = {
  checkField: 'police',
  fieldTiers: {
    PoliceCheck: { ...CHECK_SHAPE, incidents: Tier.SUMMARY, arrests: Tier.SUMMARY },
    IncidentRecord: {
      recordId: Tier.SUMMARY,
      occurredAt: Tier.SUMMARY,
      type: Tier.SUMMARY,
      role: Tier.SUMMARY,
      awaitingRelease: Tier.SUMMARY,
      domesticAbuseRisk: Tier.DETAIL,
      summary: Tier.DETAIL,
    },
    PoliceArrest: { arrestedAt: Tier.SUMMARY, offence: Tier.SUMMARY, outcome: Tier.DETAIL },
  },
  exampleFields: `incidents { occurredAt type role domesticAbuseRisk summary }
        arrests { arrestedAt offence outcome }`,
  events: [
    {
      records: 'incidents',
      type: 'IncidentRecord',
      reference: 'recordId',
      date: 'occurredAt',
      kind: { field: 'type' },
      summary: ['summary'],
    },
    {
      records: 'arrests',
      type: 'PoliceArrest',
      reference: 'id',
      date: 'arrestedAt',
      kind: { fixed: 'ARREST' },
      summary: ['offence'],
    },
  ],
};
