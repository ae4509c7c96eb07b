import { Role } from './roles';
import { Tier } from './tiers';

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
