import { CHECK_SHAPE, Tier } from '../../policies/tier';
import type { AgencyPolicy } from '../../schema/subgraphDefinition';

/**
 * Education's fields, tiered: SEN status, the reason for an exclusion and what a safeguarding
 * concern was about are detail; that the school logged a concern, of what kind, when and what it
 * did, is a headline.
 */
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
      safeguardingConcerns: Tier.SUMMARY,
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
    SchoolSafeguardingConcern: {
      kind: Tier.SUMMARY,
      loggedOn: Tier.SUMMARY,
      loggedBy: Tier.SUMMARY,
      actionTaken: Tier.SUMMARY,
      summary: Tier.DETAIL,
    },
  },
  exampleFields: `school senStatus electiveHomeEducationSince missingEducationSince
        attendance { term termEnded attendancePercent }
        exclusions { kind startDate days reason }
        safeguardingConcerns { kind loggedOn loggedBy actionTaken summary }`,
  events: [
    {
      records: 'exclusions',
      type: 'Exclusion',
      reference: 'id',
      date: 'startDate',
      kind: { field: 'kind' },
      summary: ['reason'],
    },
    {
      // What the designated safeguarding lead logged: SCHOOL_CONCERN_INJURY_SEEN, …_DISCLOSURE…
      records: 'safeguardingConcerns',
      type: 'SchoolSafeguardingConcern',
      reference: 'id',
      date: 'loggedOn',
      kind: { field: 'kind', prefix: 'SCHOOL_CONCERN_' },
      summary: ['summary', 'actionTaken'],
    },
  ],
};
