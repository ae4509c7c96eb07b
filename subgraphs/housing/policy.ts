import { CHECK_SHAPE, Tier } from '../../policies/tier';
import type { AgencyPolicy } from '../../schema/subgraphDefinition';

/**
 * Housing's fields, tiered. Tenancies, homelessness decisions, temporary accommodation (out of the
 * area or not), possession proceedings and overcrowding are the headline; the sums owed and what a
 * complaint or an application said are detail. No field carries an address (the coverage test
 * refuses one): where a household lives may be a refuge (`policies/protectedAddress.ts`).
 */
export const housingPolicy: AgencyPolicy = {
  checkField: 'housing',
  fieldTiers: {
    HousingCheck: {
      ...CHECK_SHAPE,
      tenancies: Tier.SUMMARY,
      homelessnessApplications: Tier.SUMMARY,
      temporaryAccommodation: Tier.SUMMARY,
      antisocialBehaviour: Tier.SUMMARY,
    },
    HousingTenancy: {
      tenure: Tier.SUMMARY,
      startedOn: Tier.SUMMARY,
      endedOn: Tier.SUMMARY,
      bedrooms: Tier.SUMMARY,
      overcrowded: Tier.SUMMARY,
      rentArrears: Tier.DETAIL,
      possessionStage: Tier.SUMMARY,
      possessionStageOn: Tier.SUMMARY,
    },
    HomelessnessApplication: {
      recordId: Tier.SUMMARY,
      awaitingRelease: Tier.SUMMARY,
      appliedOn: Tier.SUMMARY,
      decision: Tier.SUMMARY,
      decidedOn: Tier.SUMMARY,
      reason: Tier.DETAIL,
    },
    TemporaryAccommodationPlacement: {
      kind: Tier.SUMMARY,
      placedOn: Tier.SUMMARY,
      endedOn: Tier.SUMMARY,
      outOfArea: Tier.SUMMARY,
    },
    AntisocialBehaviourCase: {
      openedOn: Tier.SUMMARY,
      closedOn: Tier.SUMMARY,
      stage: Tier.SUMMARY,
      complaint: Tier.DETAIL,
    },
  },
  exampleFields: `tenancies {
          tenure startedOn endedOn bedrooms overcrowded rentArrears possessionStage possessionStageOn
        }
        homelessnessApplications { appliedOn decision decidedOn reason }
        temporaryAccommodation { kind placedOn endedOn outOfArea }
        antisocialBehaviour { openedOn closedOn stage complaint }`,
  events: [
    {
      records: 'tenancies',
      type: 'HousingTenancy',
      reference: 'id',
      date: 'startedOn',
      kind: { fixed: 'TENANCY_START' },
      summary: ['tenure'],
    },
    {
      // NOTICE_SERVED … EVICTED: the stage the proceedings reached, on the day they reached it.
      records: 'tenancies',
      type: 'HousingTenancy',
      reference: 'id',
      referenceSuffix: '#possession',
      date: 'possessionStageOn',
      kind: { field: 'possessionStage', prefix: 'POSSESSION_' },
      summary: ['rentArrears', 'tenure'],
    },
    {
      records: 'homelessnessApplications',
      type: 'HomelessnessApplication',
      reference: 'recordId',
      date: 'appliedOn',
      kind: { fixed: 'HOMELESSNESS_APPLICATION' },
      summary: ['reason'],
    },
    {
      records: 'homelessnessApplications',
      type: 'HomelessnessApplication',
      reference: 'recordId',
      referenceSuffix: '#decision',
      date: 'decidedOn',
      kind: { fixed: 'HOMELESSNESS_DECISION' },
      summary: ['decision'],
    },
    {
      records: 'temporaryAccommodation',
      type: 'TemporaryAccommodationPlacement',
      reference: 'id',
      date: 'placedOn',
      kind: { fixed: 'TEMPORARY_ACCOMMODATION' },
      summary: ['kind'],
    },
    {
      records: 'antisocialBehaviour',
      type: 'AntisocialBehaviourCase',
      reference: 'id',
      date: 'openedOn',
      kind: { fixed: 'ANTISOCIAL_BEHAVIOUR' },
      summary: ['complaint', 'stage'],
    },
  ],
};
