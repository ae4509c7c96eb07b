import { Tier } from './tier';

/**
 * The chronology's own policy: what an event, and a count of events, discloses.
 *
 * An event is a record an agency declares dated (its `policy.ts`, `events`). Its existence — that
 * it happened, when, and of what kind — is as sensitive as the most sensitive of the record list,
 * its date field and its kind field: a mental-health crisis contact exists at SPECIAL_CATEGORY, a
 * police incident at SUMMARY. Its summary is as sensitive as the field it is taken from.
 *
 * A count is itself information. The rule:
 * - An event the caller may not see is counted, per agency and rule, with **no kind and no date**:
 *   "3 events withheld by mental-health, within-need-to-know". A count says how much an agency
 *   holds, never what or when, so it is given at the tier of the agency check's own status
 *   (`COUNT_TIER`): a caller who may see that an agency knows the person may see how many of its
 *   events are withheld from them. So counts of DETAIL or SPECIAL_CATEGORY events are visible at
 *   SUMMARY, as counts only.
 * - A caller who may not see even that (no consent and no recorded ground: the agency check itself
 *   is WITHHELD) gets no count: the agency is reported WITHHELD with its rule, as its check is.
 * - An unverified possible match shares identity only: its records are not read, so there is
 *   nothing to count; the agency is reported with the rule `unverified-match-identity-only`.
 * - The cumulative picture counts by kind and window only the events the caller may see; the
 *   withheld ones are one count per agency and rule, never spread over kinds or windows (a
 *   window is a date range, so a count per window would date the withheld events).
 */
export const COUNT_TIER = Tier.SUMMARY;

/** The rolling windows of the cumulative picture, in months back from the hub's clock. */
export const PICTURE_WINDOWS_MONTHS = [3, 12, 36] as const;

export type Trend = 'RISING' | 'FALLING' | 'STEADY';

/**
 * The trend of one kind of event over one window: the count in the last window (the N months up
 * to now) against the count in the N months before it. More is RISING, fewer FALLING, the same
 * STEADY (none in either included): repetition is what matters, so no margin smooths one more
 * incident away.
 */
export function trendOf(last: number, previous: number): Trend {
  if (last > previous) return 'RISING';
  if (last < previous) return 'FALLING';
  return 'STEADY';
}
