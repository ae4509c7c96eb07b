import { ReferralAbout } from '../workflow/continuumOfNeed';
import { Purpose } from './roles';
import { Tier } from './tier';

/** The consent state of a case, recorded by a MASH manager. */
export enum ConsentState {
  GIVEN = 'GIVEN',
  REFUSED = 'REFUSED',
  NOT_SOUGHT = 'NOT_SOUGHT',
  /** Seeking consent is not required or would be unsafe; a ground must still be recorded. */
  NOT_REQUIRED = 'NOT_REQUIRED',
}

/**
 * Grounds for sharing without consent (HM Government, Information sharing: advice for
 * practitioners, 2024), each recorded with who authorised it and why.
 */
export enum SharingGround {
  SIGNIFICANT_HARM_TO_CHILD = 'SIGNIFICANT_HARM_TO_CHILD',
  SERIOUS_HARM_TO_ADULT = 'SERIOUS_HARM_TO_ADULT',
  /** Seeking consent would prejudice the prevention or detection of serious crime. */
  SERIOUS_CRIME = 'SERIOUS_CRIME',
  /** Seeking consent would cause unjustified delay in making enquiries. */
  UNJUSTIFIED_DELAY = 'UNJUSTIFIED_DELAY',
}

/** What a request shares under: consent, a recorded ground, or nothing (then nothing leaves). */
export type SharingBasis = 'CONSENT' | SharingGround | 'NONE';
export const SHARING_BASES: SharingBasis[] = ['CONSENT', ...Object.values(SharingGround), 'NONE'];

/**
 * The highest tier each purpose may see under each basis. Without consent or a recorded ground,
 * only identity (who the subjects are) is available: every agency check is withheld.
 */
export const MAX_TIER: Record<Purpose, Record<SharingBasis, Tier | null>> = {
  [Purpose.AGENCY_CHECK]: {
    CONSENT: Tier.DETAIL,
    SIGNIFICANT_HARM_TO_CHILD: Tier.DETAIL,
    SERIOUS_HARM_TO_ADULT: Tier.DETAIL,
    SERIOUS_CRIME: Tier.DETAIL,
    UNJUSTIFIED_DELAY: Tier.SUMMARY,
    NONE: Tier.IDENTITY,
  },
  [Purpose.STRATEGY_DISCUSSION]: {
    CONSENT: Tier.SPECIAL_CATEGORY,
    SIGNIFICANT_HARM_TO_CHILD: Tier.SPECIAL_CATEGORY,
    SERIOUS_HARM_TO_ADULT: Tier.SPECIAL_CATEGORY,
    SERIOUS_CRIME: Tier.DETAIL,
    UNJUSTIFIED_DELAY: Tier.DETAIL,
    NONE: Tier.IDENTITY,
  },
  [Purpose.ASSESSMENT]: {
    CONSENT: Tier.DETAIL,
    SIGNIFICANT_HARM_TO_CHILD: Tier.DETAIL,
    SERIOUS_HARM_TO_ADULT: Tier.DETAIL,
    SERIOUS_CRIME: Tier.SUMMARY,
    UNJUSTIFIED_DELAY: Tier.SUMMARY,
    NONE: Tier.IDENTITY,
  },
  [Purpose.CASE_HISTORY]: {
    CONSENT: Tier.DETAIL,
    SIGNIFICANT_HARM_TO_CHILD: Tier.DETAIL,
    SERIOUS_HARM_TO_ADULT: Tier.SUMMARY,
    SERIOUS_CRIME: Tier.SUMMARY,
    UNJUSTIFIED_DELAY: Tier.SUMMARY,
    NONE: Tier.IDENTITY,
  },
  // Auditing is about accesses, not children: no child record at any tier.
  [Purpose.AUDIT]: {
    CONSENT: null,
    SIGNIFICANT_HARM_TO_CHILD: null,
    SERIOUS_HARM_TO_ADULT: null,
    SERIOUS_CRIME: null,
    UNJUSTIFIED_DELAY: null,
    NONE: null,
  },
};

export interface RecordedGround {
  ground: SharingGround;
  authorisedBy: string;
  authorisedAt: Date;
  reason: string;
}

/**
 * The basis a request shares under: consent when given; otherwise the recorded ground that allows
 * the most for this purpose; otherwise none. A refusal is overridden only by a recorded ground.
 */
export function sharingBasis(
  consent: ConsentState,
  grounds: Pick<RecordedGround, 'ground'>[],
  purpose: Purpose,
): SharingBasis {
  if (consent === ConsentState.GIVEN) return 'CONSENT';
  let best: SharingBasis = grounds[0]?.ground ?? 'NONE';
  for (const { ground } of grounds) {
    if ((MAX_TIER[purpose][ground] ?? -1) > (MAX_TIER[purpose][best] ?? -1)) best = ground;
  }
  return best;
}

/**
 * The grounds a manager may record for each kind of referral. About an adult at risk there is no
 * child: Wandsworth's "the adult will be placed at risk of serious harm" is the natural basis.
 */
export const GROUNDS_BY_REFERRAL: Record<ReferralAbout, SharingGround[]> = {
  [ReferralAbout.CHILD]: Object.values(SharingGround),
  [ReferralAbout.ADULT_AT_RISK]: [
    SharingGround.SERIOUS_HARM_TO_ADULT,
    SharingGround.SERIOUS_CRIME,
    SharingGround.UNJUSTIFIED_DELAY,
  ],
};

/**
 * Why an adult at risk's consent state cannot be recorded as asked, or null when it can. Their own
 * consent, given or refused, counts only when they have capacity to decide (Mental Capacity Act
 * 2005), so capacity is assessed and recorded first; an adult who lacks it is NOT_REQUIRED, and
 * sharing rests on a recorded ground.
 */
export function adultConsentProblem(
  state: ConsentState,
  latestCapacity: { hasCapacity: boolean } | null,
): string | null {
  if (state !== ConsentState.GIVEN && state !== ConsentState.REFUSED) return null;
  if (!latestCapacity)
    return "Record the adult's mental capacity to decide first (recordMentalCapacity): their own consent counts only when they have it.";
  if (!latestCapacity.hasCapacity)
    return 'The adult lacks capacity to decide about sharing: record NOT_REQUIRED and the ground sharing rests on.';
  return null;
}
