import { Role } from './roles';
import { Tier } from './tier';

/**
 * Need to know by role: the highest tier a role may see of its own agency's records and of other
 * agencies'. A researcher runs their own agency's check in full and sees the others' headlines; the
 * MASH manager, who decides, sees the whole picture. `null`: no agency records at all.
 */
export const ROLE_TIER_CAP: Record<Role, { ownAgency: Tier | null; otherAgencies: Tier | null }> = {
  [Role.AGENCY_RESEARCHER]: { ownAgency: Tier.SPECIAL_CATEGORY, otherAgencies: Tier.SUMMARY },
  [Role.MASH_MANAGER]: { ownAgency: Tier.SPECIAL_CATEGORY, otherAgencies: Tier.SPECIAL_CATEGORY },
  [Role.CASE_SYSTEM]: { ownAgency: Tier.SPECIAL_CATEGORY, otherAgencies: Tier.SPECIAL_CATEGORY },
  [Role.IG_OFFICER]: { ownAgency: null, otherAgencies: null },
  [Role.REFERRER]: { ownAgency: null, otherAgencies: null },
};

/**
 * The highest tier this caller may see of this custodian's records: their own agency's cap for
 * its own records and for the hub's (the case, the shared check shape), else the others' cap.
 */
export function roleTierCap(
  role: Role,
  agency: string | null,
  custodian: string | null,
): Tier | null {
  const own = custodian === null || custodian === 'mash' || custodian === agency;
  return own ? ROLE_TIER_CAP[role].ownAgency : ROLE_TIER_CAP[role].otherAgencies;
}
