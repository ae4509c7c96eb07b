import { adultConsentProblem, ConsentState, GROUNDS_BY_REFERRAL, SharingGround } from '../consent';
import { ReferralAbout } from '../../workflow/continuumOfNeed';

describe("an adult at risk's own consent counts only with capacity", () => {
  test.each<[ConsentState, { hasCapacity: boolean } | null, boolean]>([
    // [state asked, latest capacity assessment, may be recorded]
    [ConsentState.GIVEN, null, false],
    [ConsentState.REFUSED, null, false],
    [ConsentState.GIVEN, { hasCapacity: false }, false],
    [ConsentState.REFUSED, { hasCapacity: false }, false],
    [ConsentState.GIVEN, { hasCapacity: true }, true],
    [ConsentState.REFUSED, { hasCapacity: true }, true],
    [ConsentState.NOT_REQUIRED, { hasCapacity: false }, true],
    [ConsentState.NOT_REQUIRED, null, true],
    [ConsentState.NOT_SOUGHT, null, true],
  ])('%s with capacity %j: allowed %s', (state, capacity, allowed) => {
    expect(adultConsentProblem(state, capacity) === null).toBe(allowed);
  });
});

describe('the grounds each kind of referral may rest on', () => {
  test.each<[ReferralAbout, SharingGround, boolean]>([
    [ReferralAbout.ADULT_AT_RISK, SharingGround.SERIOUS_HARM_TO_ADULT, true],
    [ReferralAbout.ADULT_AT_RISK, SharingGround.SERIOUS_CRIME, true],
    [ReferralAbout.ADULT_AT_RISK, SharingGround.UNJUSTIFIED_DELAY, true],
    [ReferralAbout.ADULT_AT_RISK, SharingGround.SIGNIFICANT_HARM_TO_CHILD, false],
    [ReferralAbout.CHILD, SharingGround.SIGNIFICANT_HARM_TO_CHILD, true],
    // A child's household may hold an adult at risk too.
    [ReferralAbout.CHILD, SharingGround.SERIOUS_HARM_TO_ADULT, true],
  ])('%s on %s: %s', (about, ground, allowed) => {
    expect(GROUNDS_BY_REFERRAL[about].includes(ground)).toBe(allowed);
  });
});
