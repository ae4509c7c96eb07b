/**
 * How sensitive a field is. A request may see a field only up to the tier its purpose and its
 * lawful basis allow (`consent.ts`) and its role's need to know allows (`needToKnow.ts`).
 * On its own (no imports), so that each agency's folder can tier its own fields with it.
 */
export enum Tier {
  /** Who the person is, and which agency holds records. */
  IDENTITY = 0,
  /** That the agency knows them and the headline facts: dates, types, roles, plans. */
  SUMMARY = 1,
  /** Narrative and outcomes: what happened, what was said, what was decided. */
  DETAIL = 2,
  /** Clinical detail, mental-health and sexual-health information, police intelligence. */
  SPECIAL_CATEGORY = 3,
}

export const TIER_NAMES = ['IDENTITY', 'SUMMARY', 'DETAIL', 'SPECIAL_CATEGORY'] as const;

/**
 * The outer shape every agency check shares (the `AgencyCheck` interface): as sensitive as the
 * check. Each agency's check type spreads it before its own record fields.
 */
export const CHECK_SHAPE: Readonly<Record<string, Tier>> = {
  agency: Tier.IDENTITY,
  reason: Tier.IDENTITY,
  status: Tier.SUMMARY,
  match: Tier.SUMMARY,
  checkedAt: Tier.SUMMARY,
};
