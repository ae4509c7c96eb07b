import { CHECK_SHAPE, Tier } from '../../policies/tier';
import type { AgencyPolicy } from '../../schema/subgraphDefinition';

/**
 * Probation's fields, tiered. That a household member is under supervision, and until when, is the
 * headline; what for, how dangerous (MAPPA, risk of serious harm) and the detail of a condition are
 * detail: another agency's researcher sees the headline, the manager and probation's own researcher
 * the rest.
 */
export const probationPolicy: AgencyPolicy = {
  checkField: 'probation',
  fieldTiers: {
    ProbationCheck: { ...CHECK_SHAPE, supervisions: Tier.SUMMARY, licenceConditions: Tier.SUMMARY },
    ProbationSupervision: {
      orderType: Tier.SUMMARY,
      sentencedOn: Tier.SUMMARY,
      licenceStartsOn: Tier.SUMMARY,
      supervisionEndsOn: Tier.SUMMARY,
      indexOffenceCategory: Tier.DETAIL,
      mappaLevel: Tier.DETAIL,
      mappaCategory: Tier.DETAIL,
      riskToChildren: Tier.DETAIL,
      riskToKnownAdult: Tier.DETAIL,
      riskToPublic: Tier.DETAIL,
    },
    ProbationLicenceCondition: {
      recordId: Tier.SUMMARY,
      awaitingRelease: Tier.SUMMARY,
      kind: Tier.SUMMARY,
      imposedOn: Tier.SUMMARY,
      endsOn: Tier.SUMMARY,
      detail: Tier.DETAIL,
    },
  },
  exampleFields: `supervisions {
          orderType sentencedOn licenceStartsOn supervisionEndsOn indexOffenceCategory
          mappaLevel mappaCategory riskToChildren riskToKnownAdult riskToPublic
        }
        licenceConditions { kind imposedOn endsOn detail }`,
  events: [
    {
      records: 'supervisions',
      type: 'ProbationSupervision',
      reference: 'id',
      date: 'sentencedOn',
      kind: { fixed: 'SENTENCE' },
      summary: ['indexOffenceCategory', 'orderType'],
    },
    {
      records: 'supervisions',
      type: 'ProbationSupervision',
      reference: 'id',
      referenceSuffix: '#licence',
      date: 'licenceStartsOn',
      kind: { fixed: 'LICENCE_START' },
      summary: ['mappaLevel', 'orderType'],
    },
    {
      records: 'licenceConditions',
      type: 'ProbationLicenceCondition',
      reference: 'recordId',
      date: 'imposedOn',
      kind: { fixed: 'LICENCE_CONDITION' },
      summary: ['detail', 'kind'],
    },
  ],
};
