import { MashOutcome, ThresholdOfNeed } from '../../workflow/continuumOfNeed';
import { basisOf, CaseFacts } from '../accessContext';
import { ConsentState, SharingBasis, sharingBasis, SharingGround } from '../consent';
import { awaitsCustodianRelease, custodianReleaseDenial } from '../custodianRelease';
import { evaluatePermission } from '../evaluatePermission';
import { roleTierCap } from '../needToKnow';
import { PolicyDenial } from '../policyDenial';
import { RECORD_CONSENT_OR_GROUND, SIGN_IN } from '../release';
import { Purpose, Role } from '../roles';
import {
  assignedToCase,
  consentOrRecordedGround,
  isCustodianMember,
  purposeJustifiedByCase,
  roleMayActForPurpose,
  tierAllowedForPurpose,
  withinNeedToKnow,
} from '../rules';
import { Tier } from '../tiers';
import { accessFor, decide, openCase, recordedGrounds, Who } from './policyFixtures';

/**
 * The policy's specification, one row per situation, each rule on its own and through the
 * permission tree. The expected values are written out here, not computed from the tables, so a
 * changed table or rule fails a row.
 */

const T = ThresholdOfNeed;
const O = MashOutcome;
const G = SharingGround;

const recorded = recordedGrounds;

/** The case facts for a basis: consent given, or not sought with the grounds recorded. */
function basisCase(basis: SharingBasis): Partial<CaseFacts> {
  if (basis === 'CONSENT') return { consent: ConsentState.GIVEN, grounds: [] };
  if (basis === 'NONE') return { consent: ConsentState.NOT_SOUGHT, grounds: [] };
  return { consent: ConsentState.NOT_SOUGHT, grounds: recorded(basis) };
}

const outcome = (d: true | PolicyDenial) => (d === true ? 'allowed' : `${d.code}/${d.rule}`);

const manager = { role: Role.MASH_MANAGER };
const researcher = (agency: string | null) => ({ role: Role.AGENCY_RESEARCHER, agency });
const caseSystem = (agency: string | null) => ({
  role: Role.CASE_SYSTEM,
  agency,
  team: null,
  purpose: Purpose.CASE_HISTORY,
  declared: 'CSC-000001',
});

describe('role-may-act-for-purpose', () => {
  const rows: [Role, Purpose | null, boolean][] = [
    [Role.AGENCY_RESEARCHER, Purpose.AGENCY_CHECK, true],
    [Role.AGENCY_RESEARCHER, Purpose.STRATEGY_DISCUSSION, false],
    [Role.AGENCY_RESEARCHER, Purpose.ASSESSMENT, false],
    [Role.AGENCY_RESEARCHER, Purpose.CASE_HISTORY, false],
    [Role.AGENCY_RESEARCHER, Purpose.AUDIT, false],
    [Role.AGENCY_RESEARCHER, null, false],
    [Role.MASH_MANAGER, Purpose.AGENCY_CHECK, true],
    [Role.MASH_MANAGER, Purpose.STRATEGY_DISCUSSION, true],
    [Role.MASH_MANAGER, Purpose.ASSESSMENT, true],
    [Role.MASH_MANAGER, Purpose.CASE_HISTORY, false],
    [Role.MASH_MANAGER, Purpose.AUDIT, false],
    [Role.CASE_SYSTEM, Purpose.CASE_HISTORY, true],
    [Role.CASE_SYSTEM, Purpose.AGENCY_CHECK, false],
    [Role.IG_OFFICER, Purpose.AUDIT, true],
    [Role.IG_OFFICER, Purpose.AGENCY_CHECK, false],
    [Role.REFERRER, Purpose.AGENCY_CHECK, false],
    [Role.REFERRER, null, false],
  ];
  it.each(rows)('%s for %s: %s', async (role, purpose, allowed) => {
    const decision = await decide(roleMayActForPurpose, accessFor({ role, purpose }));
    expect(outcome(decision)).toBe(allowed ? 'allowed' : 'WRONG_PURPOSE/role-may-act-for-purpose');
  });

  it.each([
    [Role.AGENCY_RESEARCHER, "State one of your role's purposes (x-mash-purpose: AGENCY_CHECK)"],
    [
      Role.MASH_MANAGER,
      "State one of your role's purposes (x-mash-purpose: AGENCY_CHECK, STRATEGY_DISCUSSION, ASSESSMENT)",
    ],
    [Role.REFERRER, 'nothing: a referrer may act for no purpose'],
  ])('says what would release it for %s', async (role, release) => {
    const decision = await decide(
      roleMayActForPurpose,
      accessFor({ role, purpose: Purpose.AUDIT }),
    );
    expect(decision).toMatchObject({ release });
  });

  it('asks an anonymous caller to sign in', async () => {
    const access = { ...accessFor(manager), caller: null };
    expect(await decide(roleMayActForPurpose, access)).toMatchObject({
      code: 'UNAUTHENTICATED',
      release: SIGN_IN,
    });
  });
});

describe('purpose-justified-by-case: a purpose is earned by the case stage', () => {
  const rows: [Purpose, ThresholdOfNeed | null, MashOutcome | null, boolean][] = [
    [Purpose.AGENCY_CHECK, null, null, true],
    [Purpose.AGENCY_CHECK, T.UNIVERSAL, null, true],
    [Purpose.CASE_HISTORY, null, null, true],
    [Purpose.AUDIT, null, null, true],
    [Purpose.STRATEGY_DISCUSSION, null, null, false],
    [Purpose.STRATEGY_DISCUSSION, T.UNIVERSAL, null, false],
    [Purpose.STRATEGY_DISCUSSION, T.EARLY_HELP, null, false],
    [Purpose.STRATEGY_DISCUSSION, T.COMPLEX, null, false],
    [Purpose.STRATEGY_DISCUSSION, T.CHILD_PROTECTION, null, true],
    [Purpose.STRATEGY_DISCUSSION, T.EARLY_HELP, O.STRATEGY_DISCUSSION, true],
    [Purpose.STRATEGY_DISCUSSION, null, O.STRATEGY_DISCUSSION, true],
    [Purpose.STRATEGY_DISCUSSION, T.COMPLEX, O.CHILD_AND_FAMILY_ASSESSMENT, false],
    [Purpose.STRATEGY_DISCUSSION, T.EARLY_HELP, O.EARLY_HELP_ASSESSMENT, false],
    [Purpose.STRATEGY_DISCUSSION, T.CHILD_PROTECTION, O.NO_FURTHER_ACTION, true],
    [Purpose.ASSESSMENT, null, null, false],
    [Purpose.ASSESSMENT, T.UNIVERSAL, null, false],
    [Purpose.ASSESSMENT, T.EARLY_HELP, null, false],
    [Purpose.ASSESSMENT, T.COMPLEX, null, true],
    [Purpose.ASSESSMENT, T.CHILD_PROTECTION, null, true],
    [Purpose.ASSESSMENT, T.EARLY_HELP, O.CHILD_AND_FAMILY_ASSESSMENT, true],
    [Purpose.ASSESSMENT, T.UNIVERSAL, O.STRATEGY_DISCUSSION, true],
    [Purpose.ASSESSMENT, T.EARLY_HELP, O.EARLY_HELP_ASSESSMENT, false],
    [Purpose.ASSESSMENT, T.EARLY_HELP, O.INFORMATION_AND_ADVICE, false],
    [Purpose.ASSESSMENT, null, O.NO_FURTHER_ACTION, false],
  ];
  it.each(rows)('%s at %s, decided %s: %s', async (purpose, threshold, decision, allowed) => {
    const access = accessFor({ ...manager, purpose, case: { threshold, decision } });
    expect(outcome(await decide(purposeJustifiedByCase, access))).toBe(
      allowed ? 'allowed' : 'PURPOSE_NOT_JUSTIFIED/purpose-justified-by-case',
    );
  });

  it.each([
    [
      Purpose.STRATEGY_DISCUSSION,
      'STRATEGY_DISCUSSION once the case is triaged at CHILD_PROTECTION (level 4), or a MASH manager decides STRATEGY_DISCUSSION; until then ask for AGENCY_CHECK',
    ],
    [
      Purpose.ASSESSMENT,
      'ASSESSMENT once the case is triaged at COMPLEX (level 3) or above, or a MASH manager decides STRATEGY_DISCUSSION or CHILD_AND_FAMILY_ASSESSMENT; until then ask for AGENCY_CHECK',
    ],
  ])('says the stage %s needs', async (purpose, release) => {
    const access = accessFor({ ...manager, purpose, case: { threshold: T.EARLY_HELP } });
    const denial = await decide(purposeJustifiedByCase, access);
    expect(denial).toMatchObject({ release });
    expect((denial as PolicyDenial).message).toBe(
      `Case MASH-2026-000001 is at EARLY_HELP: that does not justify ${purpose}.`,
    );
  });

  it('names the decision in its message, and asks for a case when there is none', async () => {
    const decided = accessFor({
      ...manager,
      purpose: Purpose.STRATEGY_DISCUSSION,
      case: { threshold: null, decision: O.NO_FURTHER_ACTION },
    });
    expect(((await decide(purposeJustifiedByCase, decided)) as PolicyDenial).message).toBe(
      'Case MASH-2026-000001 is at no threshold yet with the decision NO_FURTHER_ACTION: that does not justify STRATEGY_DISCUSSION.',
    );
    const noCase = accessFor({ ...manager, case: null, declared: null });
    expect(outcome(await decide(purposeJustifiedByCase, noCase))).toBe(
      'CASE_REQUIRED/case-is-declared',
    );
    const noPurpose = accessFor({ ...manager, purpose: null });
    expect(outcome(await decide(purposeJustifiedByCase, noPurpose))).toBe(
      'CASE_REQUIRED/case-is-declared',
    );
    const anonymous = { ...accessFor(manager), caller: null };
    expect(outcome(await decide(purposeJustifiedByCase, anonymous))).toBe(
      'UNAUTHENTICATED/is-authenticated',
    );
  });

  it('is in the chain of every tiered field and of reading the case', async () => {
    const early = accessFor({
      ...manager,
      purpose: Purpose.STRATEGY_DISCUSSION,
      case: { threshold: T.EARLY_HELP },
    });
    for (const [type, field, args] of [
      ['HealthContact', 'summary', {}],
      ['Subject', 'givenName', {}],
      ['Query', 'caseByReference', { reference: openCase.reference }],
      ['Query', 'case', { id: openCase.id }],
    ] as const) {
      const decision = await evaluatePermission(type, field, args, early);
      expect(`${type}.${field}: ${outcome(decision)}`).toBe(
        `${type}.${field}: PURPOSE_NOT_JUSTIFIED/purpose-justified-by-case`,
      );
    }
  });
});

describe('sharingBasis: consent, else the recorded ground that allows the most', () => {
  const rows: [ConsentState, SharingGround[], Purpose, SharingBasis][] = [
    [ConsentState.GIVEN, [], Purpose.AGENCY_CHECK, 'CONSENT'],
    [ConsentState.GIVEN, [G.UNJUSTIFIED_DELAY], Purpose.AGENCY_CHECK, 'CONSENT'],
    [ConsentState.REFUSED, [], Purpose.AGENCY_CHECK, 'NONE'],
    [ConsentState.NOT_SOUGHT, [], Purpose.STRATEGY_DISCUSSION, 'NONE'],
    [ConsentState.NOT_REQUIRED, [], Purpose.AGENCY_CHECK, 'NONE'],
    [ConsentState.NOT_REQUIRED, [G.SERIOUS_CRIME], Purpose.AGENCY_CHECK, G.SERIOUS_CRIME],
    [ConsentState.REFUSED, [G.UNJUSTIFIED_DELAY], Purpose.AGENCY_CHECK, G.UNJUSTIFIED_DELAY],
    // Two grounds: the one allowing the higher tier for this purpose, in either order.
    [
      ConsentState.REFUSED,
      [G.UNJUSTIFIED_DELAY, G.SERIOUS_CRIME],
      Purpose.AGENCY_CHECK,
      G.SERIOUS_CRIME,
    ],
    [
      ConsentState.REFUSED,
      [G.SERIOUS_CRIME, G.UNJUSTIFIED_DELAY],
      Purpose.AGENCY_CHECK,
      G.SERIOUS_CRIME,
    ],
    [
      ConsentState.REFUSED,
      [G.SERIOUS_CRIME, G.SIGNIFICANT_HARM_TO_CHILD],
      Purpose.STRATEGY_DISCUSSION,
      G.SIGNIFICANT_HARM_TO_CHILD,
    ],
    [
      ConsentState.NOT_SOUGHT,
      [G.SERIOUS_HARM_TO_ADULT, G.SIGNIFICANT_HARM_TO_CHILD],
      Purpose.CASE_HISTORY,
      G.SIGNIFICANT_HARM_TO_CHILD,
    ],
    [
      ConsentState.NOT_SOUGHT,
      [G.SIGNIFICANT_HARM_TO_CHILD, G.SERIOUS_HARM_TO_ADULT],
      Purpose.CASE_HISTORY,
      G.SIGNIFICANT_HARM_TO_CHILD,
    ],
    // Equal tiers: the first recorded stands.
    [
      ConsentState.REFUSED,
      [G.SERIOUS_CRIME, G.SIGNIFICANT_HARM_TO_CHILD],
      Purpose.AGENCY_CHECK,
      G.SERIOUS_CRIME,
    ],
    [
      ConsentState.REFUSED,
      [G.SIGNIFICANT_HARM_TO_CHILD, G.SERIOUS_CRIME],
      Purpose.AGENCY_CHECK,
      G.SIGNIFICANT_HARM_TO_CHILD,
    ],
    [
      ConsentState.REFUSED,
      [G.UNJUSTIFIED_DELAY, G.SERIOUS_CRIME],
      Purpose.AUDIT,
      G.UNJUSTIFIED_DELAY,
    ],
    [
      ConsentState.REFUSED,
      [G.UNJUSTIFIED_DELAY, G.SERIOUS_CRIME, G.SERIOUS_HARM_TO_ADULT],
      Purpose.ASSESSMENT,
      G.SERIOUS_HARM_TO_ADULT,
    ],
  ];
  it.each(rows)('%s with %j for %s: %s', (consent, grounds, purpose, basis) => {
    expect(sharingBasis(consent, recorded(...grounds), purpose)).toBe(basis);
  });

  it('is NONE without a case or a purpose', () => {
    expect(basisOf(accessFor({ ...manager, case: null }))).toBe('NONE');
    expect(basisOf(accessFor({ ...manager, purpose: null }))).toBe('NONE');
    expect(basisOf(accessFor(manager))).toBe('CONSENT');
  });
});

// The highest tier each purpose may see under each basis (consent.ts), written out.
const D = Tier.DETAIL;
const S = Tier.SUMMARY;
const X = Tier.SPECIAL_CATEGORY;
const MAX: Record<Purpose, Record<SharingBasis, Tier | null>> = {
  AGENCY_CHECK: {
    CONSENT: D,
    SIGNIFICANT_HARM_TO_CHILD: D,
    SERIOUS_HARM_TO_ADULT: D,
    SERIOUS_CRIME: D,
    UNJUSTIFIED_DELAY: S,
    NONE: Tier.IDENTITY,
  },
  STRATEGY_DISCUSSION: {
    CONSENT: X,
    SIGNIFICANT_HARM_TO_CHILD: X,
    SERIOUS_HARM_TO_ADULT: X,
    SERIOUS_CRIME: D,
    UNJUSTIFIED_DELAY: D,
    NONE: Tier.IDENTITY,
  },
  ASSESSMENT: {
    CONSENT: D,
    SIGNIFICANT_HARM_TO_CHILD: D,
    SERIOUS_HARM_TO_ADULT: D,
    SERIOUS_CRIME: S,
    UNJUSTIFIED_DELAY: S,
    NONE: Tier.IDENTITY,
  },
  CASE_HISTORY: {
    CONSENT: D,
    SIGNIFICANT_HARM_TO_CHILD: D,
    SERIOUS_HARM_TO_ADULT: S,
    SERIOUS_CRIME: S,
    UNJUSTIFIED_DELAY: S,
    NONE: Tier.IDENTITY,
  },
  AUDIT: {
    CONSENT: null,
    SIGNIFICANT_HARM_TO_CHILD: null,
    SERIOUS_HARM_TO_ADULT: null,
    SERIOUS_CRIME: null,
    UNJUSTIFIED_DELAY: null,
    NONE: null,
  },
};
const TIERS = [Tier.IDENTITY, Tier.SUMMARY, Tier.DETAIL, Tier.SPECIAL_CATEGORY];
const BASES: SharingBasis[] = ['CONSENT', ...Object.values(SharingGround), 'NONE'];

describe('tier-allowed-for-purpose and consent-or-recorded-ground: every purpose × basis × tier', () => {
  const rows = Object.values(Purpose).flatMap((purpose) =>
    BASES.flatMap((basis) => TIERS.map((tier) => [purpose, basis, tier] as const)),
  );
  it.each(rows)('%s under %s, tier %s', async (purpose, basis, tier) => {
    const access = accessFor({ ...manager, purpose, case: basisCase(basis) });
    const consent = await decide(consentOrRecordedGround(tier, 'health'), access);
    expect(outcome(consent)).toBe(
      basis === 'NONE' && tier > Tier.IDENTITY
        ? 'CONSENT_REQUIRED/consent-or-recorded-ground'
        : 'allowed',
    );
    const max = MAX[purpose][basis];
    const forPurpose = await decide(tierAllowedForPurpose(tier, 'health'), access);
    expect(outcome(forPurpose)).toBe(
      max !== null && tier <= max ? 'allowed' : 'NEED_TO_KNOW/tier-allowed-for-purpose',
    );
  });
});

describe('within-need-to-know: the role cap by custodian, null caps included', () => {
  const rows: [string, Who, string | null, Tier, boolean][] = [
    ['researcher, own agency, special category', researcher('police'), 'police', X, true],
    ['researcher, other agency, summary', researcher('police'), 'health', S, true],
    ['researcher, other agency, detail', researcher('police'), 'health', D, false],
    ['researcher, the hub is own', researcher('police'), 'mash', X, true],
    ['researcher, the shared check shape is own', researcher('police'), null, X, true],
    ['researcher of no agency, an agency, detail', researcher(null), 'police', D, false],
    ['researcher of no agency, an agency, summary', researcher(null), 'police', S, true],
    ['manager, any agency, special category', manager, 'health', X, true],
    ['manager, the hub, special category', manager, 'mash', X, true],
    ['case system, another agency, special category', caseSystem('social-care'), 'police', X, true],
    [
      'case system, own agency, special category',
      caseSystem('social-care'),
      'social-care',
      X,
      true,
    ],
    [
      'IG officer, an agency, identity (null cap)',
      { role: Role.IG_OFFICER },
      'police',
      Tier.IDENTITY,
      false,
    ],
    [
      'IG officer, the hub, identity (null cap)',
      { role: Role.IG_OFFICER },
      'mash',
      Tier.IDENTITY,
      false,
    ],
    [
      'referrer, an agency, identity (null cap)',
      { role: Role.REFERRER },
      'police',
      Tier.IDENTITY,
      false,
    ],
    [
      'referrer, the hub, identity (null cap)',
      { role: Role.REFERRER },
      'mash',
      Tier.IDENTITY,
      false,
    ],
  ];
  it.each(rows)('%s', async (_situation, who, custodian, tier, allowed) => {
    const decision = await decide(withinNeedToKnow(tier, custodian), accessFor(who));
    expect(outcome(decision)).toBe(allowed ? 'allowed' : 'NEED_TO_KNOW/within-need-to-know');
  });

  it.each([
    [Role.AGENCY_RESEARCHER, 'police', 'police', X],
    [Role.AGENCY_RESEARCHER, 'police', 'health', S],
    [Role.AGENCY_RESEARCHER, null, 'mash', X],
    [Role.MASH_MANAGER, null, 'health', X],
    [Role.CASE_SYSTEM, 'social-care', 'police', X],
    [Role.IG_OFFICER, null, 'mash', null],
    [Role.IG_OFFICER, null, 'police', null],
    [Role.REFERRER, null, null, null],
    [Role.REFERRER, null, 'health', null],
  ])('roleTierCap(%s of %s, %s) is %s', (role, agency, custodian, cap) => {
    expect(roleTierCap(role, agency, custodian)).toBe(cap);
  });
});

describe('assigned-to-case: teams, and a case system’s linkage to its own system', () => {
  const rows: [string, Who, boolean][] = [
    ['manager of the assigned team', manager, true],
    ['manager of another team', { ...manager, team: 'mash-west' }, false],
    ['manager of no team', { ...manager, team: null }, false],
    ['researcher of the assigned team', researcher('police'), true],
    ['researcher of another team', { ...researcher('police'), team: 'mash-west' }, false],
    ['case system of the linked system, by its reference', caseSystem('social-care'), true],
    ["another agency's case system, by that reference", caseSystem('police'), false],
    ['a case system of no agency', caseSystem(null), false],
    [
      'the linked case system, by the MASH reference',
      { ...caseSystem('social-care'), declared: openCase.reference },
      false,
    ],
    [
      'a case system with a team, on an unlinked case',
      { ...caseSystem('social-care'), team: 'mash-east', case: { externalSystem: null } },
      false,
    ],
    [
      'a case system whose reference is unlinked to any system',
      { ...caseSystem('social-care'), case: { externalSystem: null } },
      false,
    ],
    [
      'a case system on a case with no external reference',
      { ...caseSystem('social-care'), declared: null, case: { externalReference: null } },
      false,
    ],
    [
      'a police case system, on a case linked to the police system',
      { ...caseSystem('police'), case: { externalSystem: 'police' } },
      true,
    ],
  ];
  it.each(rows)('%s', async (_situation, who, allowed) => {
    expect(outcome(await decide(assignedToCase, accessFor(who)))).toBe(
      allowed ? 'allowed' : 'NOT_ASSIGNED/assigned-to-case',
    );
  });

  it('says who would give the relationship', async () => {
    expect(await decide(assignedToCase, accessFor({ ...manager, team: 'x' }))).toMatchObject({
      release: 'The case is allocated to your team by a MASH manager',
      message: 'Case MASH-2026-000001 is not assigned to you or your team.',
    });
    expect(await decide(assignedToCase, accessFor(caseSystem('police')))).toMatchObject({
      release: expect.stringContaining("your own system's reference"),
      message: 'Case MASH-2026-000001 is not linked to your system by the reference you gave.',
    });
  });
});

describe('custodian release', () => {
  const rows: [string, Who, boolean][] = [
    ["the police's own researcher", researcher('police'), true],
    ["health's researcher", researcher('health'), false],
    ['a researcher of no agency', researcher(null), false],
    ['a MASH manager', manager, false],
    ["the police's case system (not a researcher)", caseSystem('police'), false],
    ['an IG officer who says police', { role: Role.IG_OFFICER, agency: 'police' }, false],
    ['a manager who says police', { role: Role.MASH_MANAGER, agency: 'police' }, false],
  ];
  it.each(rows)('%s may release: %s', async (_situation, who, allowed) => {
    const decision = await decide(isCustodianMember('police'), accessFor(who));
    expect(outcome(decision)).toBe(allowed ? 'allowed' : 'NOT_PERMITTED/is-custodian-member');
    if (decision !== true)
      expect(decision.release).toBe("nothing for you: the police's own MASH member does this");
  });

  it.each([
    [true, [], true],
    [true, ['r1'], false],
    [true, ['r2'], true],
    [false, [], false],
    [false, ['r1'], false],
  ])('flagged %s, released for this case %j: awaits release %s', (flagged, released, awaits) => {
    expect(
      awaitsCustodianRelease({ id: 'r1', requiresCustodianRelease: flagged }, new Set(released)),
    ).toBe(awaits);
  });

  it('says who releases a flagged record, and how', () => {
    expect(custodianReleaseDenial('police')).toMatchObject({
      code: 'CUSTODIAN_RELEASE_REQUIRED',
      rule: 'custodian-release',
      release: "The police's own MASH member releases it for this case (releasePoliceRecord)",
    });
    // Every agency's release mutation is named after it, a hyphenated name in one word.
    expect(custodianReleaseDenial('domestic-abuse').release).toBe(
      "The domestic-abuse's own MASH member releases it for this case (releaseDomesticAbuseRecord)",
    );
  });
});

describe('what would release each denial (13.10)', () => {
  const rows: [string, Who, string, string, string | RegExp][] = [
    [
      'no consent or ground: the manager records one',
      { ...manager, case: basisCase('NONE') },
      'IncidentRecord.type',
      'CONSENT_REQUIRED',
      RECORD_CONSENT_OR_GROUND,
    ],
    [
      'no consent, an IG officer: nothing would',
      { role: Role.IG_OFFICER, purpose: Purpose.AUDIT, case: basisCase('NONE') },
      'IncidentRecord.type',
      'CONSENT_REQUIRED',
      /^nothing: an information governance officer may never see SUMMARY information held by police/,
    ],
    [
      'special category on an agency check: a strategy discussion at child protection',
      manager,
      'HealthContact.summary',
      'NEED_TO_KNOW',
      'Ask for STRATEGY_DISCUSSION once the case is triaged at CHILD_PROTECTION (level 4), or a MASH manager decides STRATEGY_DISCUSSION',
    ],
    [
      'detail under unjustified delay: a stronger ground, or a strategy discussion',
      { ...manager, case: basisCase(G.UNJUSTIFIED_DELAY) },
      'IncidentRecord.summary',
      'NEED_TO_KNOW',
      "The MASH manager records the family's consent or a recorded ground of SIGNIFICANT_HARM_TO_CHILD, SERIOUS_HARM_TO_ADULT, SERIOUS_CRIME (recordConsent / recordSharingGround); or ask for STRATEGY_DISCUSSION once the case is triaged at CHILD_PROTECTION (level 4), or a MASH manager decides STRATEGY_DISCUSSION",
    ],
    [
      'detail on an assessment under serious crime: the agency check sees it',
      { ...manager, purpose: Purpose.ASSESSMENT, case: basisCase(G.SERIOUS_CRIME) },
      'IncidentRecord.summary',
      'NEED_TO_KNOW',
      /^Ask for AGENCY_CHECK; or ask for STRATEGY_DISCUSSION once/,
    ],
    [
      "a researcher's own special category: never on an agency check",
      researcher('health'),
      'HealthContact.summary',
      'NEED_TO_KNOW',
      'nothing: an agency researcher may never see SPECIAL_CATEGORY information, for AGENCY_CHECK',
    ],
    [
      "another agency's detail: never for a researcher; that agency's own may",
      researcher('police'),
      'SocialCareEpisode.outcome',
      'NEED_TO_KNOW',
      "nothing: an agency researcher may never see DETAIL information held by social-care; social-care's own researcher or a MASH manager or a case system may",
    ],
    [
      "another agency's detail under a weak basis: still never, whatever is recorded",
      { ...researcher('police'), case: basisCase(G.UNJUSTIFIED_DELAY) },
      'SocialCareEpisode.outcome',
      'NEED_TO_KNOW',
      /^nothing: an agency researcher may never see DETAIL information held by social-care/,
    ],
    [
      'a closed case',
      { ...manager, case: { status: 'CLOSED' } },
      'Subject.police',
      'CASE_CLOSED',
      /^nothing: /,
    ],
    [
      'no case declared',
      { ...manager, declared: null, case: null },
      'Subject.police',
      'CASE_REQUIRED',
      'State a case assigned to your team (x-mash-case)',
    ],
    [
      'another role only',
      researcher('police'),
      'Mutation.recordConsent',
      'NOT_PERMITTED',
      'nothing for your role: only a MASH manager may do this',
    ],
    [
      'a field no policy names',
      manager,
      'Subject.shoeSize',
      'NOT_PERMITTED',
      /^nothing: no policy names this field/,
    ],
  ];
  it.each(rows)('%s', async (_situation, who, field, code, release) => {
    const [typeName, fieldName] = field.split('.');
    const decision = await evaluatePermission(
      typeName,
      fieldName,
      { reference: openCase.reference, caseReference: openCase.reference },
      accessFor(who),
    );
    expect(decision).toMatchObject({ code });
    expect((decision as PolicyDenial).release).toEqual(
      typeof release === 'string' ? release : expect.stringMatching(release),
    );
  });

  it('names the declared case when a query names another', async () => {
    const decision = await evaluatePermission(
      'Query',
      'caseByReference',
      { reference: 'MASH-2026-000999' },
      accessFor(manager),
    );
    expect(decision).toMatchObject({
      code: 'NOT_ASSIGNED',
      release: 'Name the case you declared (x-mash-case), or declare the case you name',
    });
  });
});
