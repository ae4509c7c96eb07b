import type { AgencyDefinition } from '../schema/subgraphDefinition';
import { adultSocialCare } from './adult-social-care';
import { domesticAbuse } from './domestic-abuse';
import { earlyHelp } from './early-help';
import { education } from './education';
import { health } from './health';
import { housing } from './housing';
import { mentalHealth } from './mental-health';
import { police } from './police';
import { probation } from './probation';
import { socialCare } from './social-care';

/**
 * The agencies of the hub, one line each: everything else about an agency (its records, its
 * fields' tiers, its check field, its seed, its example fields) is in its own folder, and the
 * hub's central code and the tests iterate over this list. Adding an agency: README, "Adding an
 * agency".
 */
export const AGENCIES: AgencyDefinition[] = [
  socialCare,
  police,
  health,
  education,
  probation,
  domesticAbuse,
  housing,
  mentalHealth,
  earlyHelp,
  adultSocialCare,
];

/** The agency of a check field on Subject (`socialCare` → the social-care agency). */
export function agencyOfCheckField(checkField: string): AgencyDefinition | undefined {
  return AGENCIES.find((a) => a.policy.checkField === checkField);
}
