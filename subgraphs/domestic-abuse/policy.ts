import { CHECK_SHAPE, Tier } from '../../policies/tier';
import type { AgencyPolicy } from '../../schema/subgraphDefinition';

/**
 * The domestic abuse service's fields, tiered. That a person is named in a case, as whom, and its
 * dates (referral, MARAC, safety plan) are the headline; the risk grade and what the safety plan
 * puts in place are detail. No field carries an address: where a victim lives is a protected
 * address (`policies/protectedAddress.ts`), and the coverage test refuses an address-like field.
 */
export const domesticAbusePolicy: AgencyPolicy = {
  checkField: 'domesticAbuse',
  fieldTiers: {
    DomesticAbuseCheck: { ...CHECK_SHAPE, cases: Tier.SUMMARY },
    DomesticAbuseCaseRecord: {
      recordId: Tier.SUMMARY,
      awaitingRelease: Tier.SUMMARY,
      role: Tier.SUMMARY,
      referredOn: Tier.SUMMARY,
      dashRiskLevel: Tier.DETAIL,
      dashAssessedOn: Tier.SUMMARY,
      maracReferredOn: Tier.SUMMARY,
      maracMeetingOn: Tier.SUMMARY,
      safetyPlanAgreedOn: Tier.SUMMARY,
      safetyPlanReviewedOn: Tier.SUMMARY,
      safetyMeasures: Tier.DETAIL,
      closedOn: Tier.SUMMARY,
    },
  },
  exampleFields: `cases {
          role referredOn dashRiskLevel dashAssessedOn maracReferredOn maracMeetingOn
          safetyPlanAgreedOn safetyPlanReviewedOn safetyMeasures closedOn
        }`,
  // One case, several events: referral, DASH assessment, MARAC referral and meeting, safety plan.
  events: [
    {
      records: 'cases',
      type: 'DomesticAbuseCaseRecord',
      reference: 'recordId',
      date: 'referredOn',
      kind: { fixed: 'IDVA_REFERRAL' },
      summary: ['role'],
    },
    {
      records: 'cases',
      type: 'DomesticAbuseCaseRecord',
      reference: 'recordId',
      referenceSuffix: '#dash',
      date: 'dashAssessedOn',
      kind: { fixed: 'DASH_ASSESSMENT' },
      summary: ['dashRiskLevel', 'role'],
    },
    {
      records: 'cases',
      type: 'DomesticAbuseCaseRecord',
      reference: 'recordId',
      referenceSuffix: '#marac-referral',
      date: 'maracReferredOn',
      kind: { fixed: 'MARAC_REFERRAL' },
      summary: ['role'],
    },
    {
      records: 'cases',
      type: 'DomesticAbuseCaseRecord',
      reference: 'recordId',
      referenceSuffix: '#marac-meeting',
      date: 'maracMeetingOn',
      kind: { fixed: 'MARAC_MEETING' },
      summary: ['dashRiskLevel', 'role'],
    },
    {
      records: 'cases',
      type: 'DomesticAbuseCaseRecord',
      reference: 'recordId',
      referenceSuffix: '#safety-plan',
      date: 'safetyPlanAgreedOn',
      kind: { fixed: 'SAFETY_PLAN' },
      summary: ['safetyMeasures'],
    },
  ],
};
