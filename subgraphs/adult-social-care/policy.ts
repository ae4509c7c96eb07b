import { CHECK_SHAPE, Tier } from '../../policies/tier';
import type { AgencyPolicy } from '../../schema/subgraphDefinition';

/**
 * Adult social care's fields, tiered: that an adult has assessed needs, a safeguarding concern or
 * a section 42 enquiry, or is a carer, and when, is the headline; why they need support, what is
 * in place, the kind of abuse and the enquiry's outcome are detail.
 */
export const adultSocialCarePolicy: AgencyPolicy = {
  checkField: 'adultSocialCare',
  fieldTiers: {
    AdultSocialCareCheck: {
      ...CHECK_SHAPE,
      careAndSupportNeeds: Tier.SUMMARY,
      safeguardingConcerns: Tier.SUMMARY,
      carerRecords: Tier.SUMMARY,
    },
    CareAndSupportNeed: {
      assessedOn: Tier.SUMMARY,
      primarySupportReason: Tier.DETAIL,
      supportInPlace: Tier.DETAIL,
      reviewDueOn: Tier.SUMMARY,
    },
    SafeguardingAdultsConcern: {
      recordId: Tier.SUMMARY,
      awaitingRelease: Tier.SUMMARY,
      raisedOn: Tier.SUMMARY,
      abuseType: Tier.DETAIL,
      section42EnquiryOn: Tier.SUMMARY,
      concludedOn: Tier.SUMMARY,
      outcome: Tier.DETAIL,
    },
    CarerRecord: { assessedOn: Tier.SUMMARY, caresFor: Tier.SUMMARY, youngCarer: Tier.SUMMARY },
  },
  exampleFields: `careAndSupportNeeds { assessedOn primarySupportReason supportInPlace reviewDueOn }
        safeguardingConcerns { raisedOn abuseType section42EnquiryOn concludedOn outcome }
        carerRecords { assessedOn caresFor youngCarer }`,
  events: [
    {
      records: 'safeguardingConcerns',
      type: 'SafeguardingAdultsConcern',
      reference: 'recordId',
      date: 'raisedOn',
      kind: { fixed: 'SAFEGUARDING_ADULTS_CONCERN' },
      summary: ['abuseType'],
    },
    {
      records: 'safeguardingConcerns',
      type: 'SafeguardingAdultsConcern',
      reference: 'recordId',
      referenceSuffix: '#section-42',
      date: 'section42EnquiryOn',
      kind: { fixed: 'SECTION_42_ENQUIRY' },
      summary: ['outcome'],
    },
    {
      records: 'careAndSupportNeeds',
      type: 'CareAndSupportNeed',
      reference: 'id',
      date: 'assessedOn',
      kind: { fixed: 'CARE_AND_SUPPORT_ASSESSMENT' },
      summary: ['primarySupportReason'],
    },
    {
      records: 'carerRecords',
      type: 'CarerRecord',
      reference: 'id',
      date: 'assessedOn',
      kind: { fixed: 'CARER_ASSESSMENT' },
      summary: ['caresFor'],
    },
  ],
};
