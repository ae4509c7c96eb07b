import { CHECK_SHAPE, Tier } from '../../policies/tier';
import type { AgencyPolicy } from '../../schema/subgraphDefinition';

/** Education's fields, tiered: SEN status and the reason for an exclusion are detail. */
export const educationPolicy: AgencyPolicy = {
  checkField: 'education',
  fieldTiers: {
    EducationCheck: {
      ...CHECK_SHAPE,
      school: Tier.SUMMARY,
      senStatus: Tier.DETAIL,
      electiveHomeEducationSince: Tier.SUMMARY,
      missingEducationSince: Tier.SUMMARY,
      attendance: Tier.SUMMARY,
      exclusions: Tier.SUMMARY,
    },
    TermAttendance: {
      term: Tier.SUMMARY,
      termEnded: Tier.SUMMARY,
      attendancePercent: Tier.SUMMARY,
    },
    Exclusion: {
      recordId: Tier.SUMMARY,
      awaitingRelease: Tier.SUMMARY,
      kind: Tier.SUMMARY,
      startDate: Tier.SUMMARY,
      days: Tier.SUMMARY,
      reason: Tier.DETAIL,
    },
  },
  exampleFields: `school senStatus electiveHomeEducationSince missingEducationSince
        attendance { term termEnded attendancePercent }
        exclusions { kind startDate days reason }`,
};
