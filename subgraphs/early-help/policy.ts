import { CHECK_SHAPE, Tier } from '../../policies/tier';
import type { AgencyPolicy } from '../../schema/subgraphDefinition';

/**
 * Early help's fields, tiered: an episode's dates, plan, lead professional and outcome are the
 * headline; the needs the assessment identified are detail.
 */
export const earlyHelpPolicy: AgencyPolicy = {
  checkField: 'earlyHelp',
  fieldTiers: {
    EarlyHelpCheck: { ...CHECK_SHAPE, episodes: Tier.SUMMARY },
    EarlyHelpEpisode: {
      recordId: Tier.SUMMARY,
      awaitingRelease: Tier.SUMMARY,
      openedOn: Tier.SUMMARY,
      assessedOn: Tier.SUMMARY,
      needsIdentified: Tier.DETAIL,
      planAgreedOn: Tier.SUMMARY,
      planReviewedOn: Tier.SUMMARY,
      leadProfessional: Tier.SUMMARY,
      closedOn: Tier.SUMMARY,
      outcome: Tier.SUMMARY,
    },
  },
  exampleFields: `episodes {
          openedOn assessedOn needsIdentified planAgreedOn planReviewedOn leadProfessional
          closedOn outcome
        }`,
  events: [
    {
      records: 'episodes',
      type: 'EarlyHelpEpisode',
      reference: 'recordId',
      date: 'openedOn',
      kind: { fixed: 'EARLY_HELP_OPENED' },
      summary: ['needsIdentified', 'leadProfessional'],
    },
    {
      // How it ended: EARLY_HELP_STEPPED_UP, EARLY_HELP_STEPPED_DOWN, EARLY_HELP_CLOSED_NEEDS_MET…
      records: 'episodes',
      type: 'EarlyHelpEpisode',
      reference: 'recordId',
      referenceSuffix: '#closed',
      date: 'closedOn',
      kind: { field: 'outcome', prefix: 'EARLY_HELP_' },
      summary: ['leadProfessional'],
    },
  ],
};
