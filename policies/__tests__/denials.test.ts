import type { ShieldRule } from 'graphql-shield/typings/types';
import { MashOutcome, ThresholdOfNeed } from '../../workflow/continuumOfNeed';
import { ConsentState, SharingGround } from '../consent';
import { custodianReleaseDenial } from '../custodianRelease';
import { evaluatePermission } from '../evaluatePermission';
import { PolicyDenial } from '../policyDenial';
import {
  isAtProtectedAddress,
  mayLearnProtectedAddress,
  PROTECTED_ADDRESS_POLICY,
  protectedAddressDenial,
} from '../protectedAddress';
import { levelOf, stageLevel, stageNeededFor } from '../purposeStage';
import {
  consentRelease,
  needToKnowRelease,
  purposeStageRelease,
  RECORD_CONSENT_OR_GROUND,
  roleRelease,
  SIGN_IN,
  tierForPurposeRelease,
} from '../release';
import { describeRole, Purpose, Role } from '../roles';
import {
  caseIsDeclared,
  caseIsOpen,
  consentOrRecordedGround,
  hasRole,
  isAuthenticated,
  isCustodianMember,
  namesDeclaredCase,
  roleMayActForPurpose,
  tierAllowedForPurpose,
  withinNeedToKnow,
} from '../rules';
import { Tier } from '../tiers';
import { accessFor, decide, openCase, recordedGrounds, Who } from './policyFixtures';

/**
 * Every denial as a caller reads it: its code (what a client acts on), its rule (what IG audits),
 * the words of its message and what would release it. Written out, not computed from the tables,
 * so a changed word, rule name or branch fails a row. Also the edges the other policy tests leave
 * open: who counts as signed in, a case that is decided (no longer open), a role the policy does
 * not know, and the protected-address policy read as data.
 */

const T = ThresholdOfNeed;
const O = MashOutcome;
const G = SharingGround;

const groundsOf = recordedGrounds;
const noBasis = { consent: ConsentState.REFUSED, grounds: [] };

const manager: Who = { role: Role.MASH_MANAGER };
const researcher = (agency: string | null): Who => ({ role: Role.AGENCY_RESEARCHER, agency });
const anonymous: Who = { role: null };

type Denial = { code: string; rule: string; message: string; release: string | null };

describe('every denial says its code, its rule, why, and what would release it', () => {
  const rows: [string, ShieldRule, Who, object, Denial | 'allowed'][] = [
    [
      'nobody signed in',
      isAuthenticated,
      anonymous,
      {},
      {
        code: 'UNAUTHENTICATED',
        rule: 'is-authenticated',
        message: 'Sign in first.',
        release: SIGN_IN,
      },
    ],
    ['a signed-in caller', isAuthenticated, manager, {}, 'allowed'],
    [
      "a researcher stating a manager's purpose",
      roleMayActForPurpose,
      { ...researcher('police'), purpose: Purpose.STRATEGY_DISCUSSION },
      {},
      {
        code: 'WRONG_PURPOSE',
        rule: 'role-may-act-for-purpose',
        message:
          'An agency researcher may act for AGENCY_CHECK; the request states STRATEGY_DISCUSSION (x-mash-purpose).',
        release: "State one of your role's purposes (x-mash-purpose: AGENCY_CHECK)",
      },
    ],
    [
      'a referrer stating no purpose',
      roleMayActForPurpose,
      { role: Role.REFERRER, purpose: null },
      {},
      {
        code: 'WRONG_PURPOSE',
        rule: 'role-may-act-for-purpose',
        message: 'A referrer may act for no purpose; the request states none (x-mash-purpose).',
        release: 'nothing: a referrer may act for no purpose',
      },
    ],
    [
      'no case declared',
      caseIsDeclared,
      { ...manager, declared: null, case: null },
      {},
      {
        code: 'CASE_REQUIRED',
        rule: 'case-is-declared',
        message: 'State the case you are working on (x-mash-case).',
        release: 'State a case assigned to your team (x-mash-case)',
      },
    ],
    [
      'a declared case the hub does not have',
      caseIsDeclared,
      { ...manager, declared: 'MASH-2026-000999', case: null },
      {},
      {
        code: 'CASE_REQUIRED',
        rule: 'case-is-declared',
        message: 'There is no case MASH-2026-000999 for you to work on.',
        release: 'State a case assigned to your team (x-mash-case)',
      },
    ],
    ['a declared case the hub has', caseIsDeclared, manager, {}, 'allowed'],
    ['an open case', caseIsOpen, manager, {}, 'allowed'],
    [
      'a closed case',
      caseIsOpen,
      { ...manager, case: { status: 'CLOSED' } },
      {},
      {
        code: 'CASE_CLOSED',
        rule: 'case-is-open',
        message: 'Case MASH-2026-000001 is not open in the MASH.',
        release: "nothing: the MASH's part in this case is over (a new referral opens a new case)",
      },
    ],
    [
      // Decided is past the MASH's part too: the decision has handed the case on.
      'a decided case',
      caseIsOpen,
      { ...manager, case: { status: 'DECIDED' } },
      {},
      {
        code: 'CASE_CLOSED',
        rule: 'case-is-open',
        message: 'Case MASH-2026-000001 is not open in the MASH.',
        release: "nothing: the MASH's part in this case is over (a new referral opens a new case)",
      },
    ],
    ['naming the declared case by id', namesDeclaredCase, manager, { id: 'c1' }, 'allowed'],
    [
      'naming the declared case by reference',
      namesDeclaredCase,
      manager,
      { reference: 'MASH-2026-000001' },
      'allowed',
    ],
    [
      'naming the declared case as caseReference',
      namesDeclaredCase,
      manager,
      { caseReference: 'MASH-2026-000001' },
      'allowed',
    ],
    [
      'naming another case',
      namesDeclaredCase,
      manager,
      { caseReference: 'MASH-2026-000999' },
      {
        code: 'NOT_ASSIGNED',
        rule: 'names-declared-case',
        message: 'The request names case MASH-2026-000999, not the declared case.',
        release: 'Name the case you declared (x-mash-case), or declare the case you name',
      },
    ],
    [
      'naming a case when none is declared',
      namesDeclaredCase,
      { ...manager, declared: null, case: null },
      { reference: 'MASH-2026-000001' },
      {
        code: 'NOT_ASSIGNED',
        rule: 'names-declared-case',
        message: 'The request names case MASH-2026-000001, not the declared case.',
        release: 'Name the case you declared (x-mash-case), or declare the case you name',
      },
    ],
    [
      'a role not listed',
      hasRole(Role.MASH_MANAGER, Role.AGENCY_RESEARCHER),
      { role: Role.IG_OFFICER },
      {},
      {
        code: 'NOT_PERMITTED',
        rule: 'has-role',
        message: 'Only a MASH manager or an agency researcher may do this.',
        release: 'nothing for your role: only a MASH manager or an agency researcher may do this',
      },
    ],
    [
      'nobody signed in, for a role-only field',
      hasRole(Role.CASE_SYSTEM),
      anonymous,
      {},
      {
        code: 'NOT_PERMITTED',
        rule: 'has-role',
        message: 'Only a case system may do this.',
        release: 'nothing for your role: only a case system may do this',
      },
    ],
    [
      'the second role listed',
      hasRole(Role.MASH_MANAGER, Role.AGENCY_RESEARCHER),
      researcher('police'),
      {},
      'allowed',
    ],
    [
      "another agency's researcher releasing a police record",
      isCustodianMember('police'),
      researcher('health'),
      {},
      {
        code: 'NOT_PERMITTED',
        rule: 'is-custodian-member',
        message: "Only police's own MASH member may do this.",
        release: "nothing for you: the police's own MASH member does this",
      },
    ],
    [
      'consent refused, no ground, a manager',
      consentOrRecordedGround(Tier.SUMMARY, 'police'),
      { ...manager, case: noBasis },
      {},
      {
        code: 'CONSENT_REQUIRED',
        rule: 'consent-or-recorded-ground',
        message:
          'Consent is REFUSED and no ground for sharing without consent is recorded for this case.',
        release: RECORD_CONSENT_OR_GROUND,
      },
    ],
    [
      'no case, so no consent recorded',
      consentOrRecordedGround(Tier.DETAIL, 'health'),
      { ...manager, case: null, declared: null },
      {},
      {
        code: 'CONSENT_REQUIRED',
        rule: 'consent-or-recorded-ground',
        message:
          'Consent is not recorded and no ground for sharing without consent is recorded for this case.',
        release: RECORD_CONSENT_OR_GROUND,
      },
    ],
    [
      'nobody signed in, beyond identity, no basis',
      consentOrRecordedGround(Tier.SUMMARY, 'police'),
      { ...anonymous, case: noBasis },
      {},
      {
        code: 'UNAUTHENTICATED',
        rule: 'is-authenticated',
        message: 'Sign in first.',
        release: SIGN_IN,
      },
    ],
    [
      'identity needs no consent',
      consentOrRecordedGround(Tier.IDENTITY, 'police'),
      { ...manager, case: noBasis },
      {},
      'allowed',
    ],
    [
      'detail on an agency check under unjustified delay',
      tierAllowedForPurpose(Tier.DETAIL, 'health'),
      {
        ...manager,
        case: { consent: ConsentState.REFUSED, grounds: groundsOf(G.UNJUSTIFIED_DELAY) },
      },
      {},
      {
        code: 'NEED_TO_KNOW',
        rule: 'tier-allowed-for-purpose',
        message: 'DETAIL information is beyond what AGENCY_CHECK may see under UNJUSTIFIED_DELAY.',
        release: expect.stringMatching(/^The MASH manager records the family's consent/),
      },
    ],
    [
      'nobody signed in, beyond what the purpose may see',
      tierAllowedForPurpose(Tier.SPECIAL_CATEGORY, 'health'),
      anonymous,
      {},
      {
        code: 'UNAUTHENTICATED',
        rule: 'is-authenticated',
        message: 'Sign in first.',
        release: SIGN_IN,
      },
    ],
    [
      "a researcher, another agency's detail",
      withinNeedToKnow(Tier.DETAIL, 'health'),
      researcher('police'),
      {},
      {
        code: 'NEED_TO_KNOW',
        rule: 'within-need-to-know',
        message:
          'An agency researcher of police has no need to know DETAIL information held by health.',
        release: expect.stringMatching(/^nothing: an agency researcher may never see DETAIL/),
      },
    ],
    [
      'an IG officer (no agency), identity',
      withinNeedToKnow(Tier.IDENTITY, 'police'),
      { role: Role.IG_OFFICER, purpose: Purpose.AUDIT },
      {},
      {
        code: 'NEED_TO_KNOW',
        rule: 'within-need-to-know',
        message:
          'An information governance officer has no need to know IDENTITY information held by police.',
        release: expect.stringMatching(/^nothing: an information governance officer may never/),
      },
    ],
    [
      'nobody signed in, within a cap',
      withinNeedToKnow(Tier.IDENTITY, 'police'),
      anonymous,
      {},
      {
        code: 'UNAUTHENTICATED',
        rule: 'is-authenticated',
        message: 'Sign in first.',
        release: SIGN_IN,
      },
    ],
  ];
  it.each(rows)('%s', async (_situation, rule, who, args, expected) => {
    const decision = await decide(rule, accessFor(who), args);
    if (expected === 'allowed') expect(decision).toBe(true);
    else {
      expect(decision).toBeInstanceOf(PolicyDenial);
      expect(decision).toMatchObject(expected);
    }
  });
});

describe('the denial itself', () => {
  it('is an Error named PolicyDenial, with no release unless one is given', () => {
    const denial = new PolicyDenial('NOT_PERMITTED', 'some-rule', 'Not for you.');
    expect(denial).toBeInstanceOf(Error);
    expect(denial.name).toBe('PolicyDenial');
    expect(denial.message).toBe('Not for you.');
    expect(denial.release).toBeNull();
    expect(new PolicyDenial('NOT_PERMITTED', 'r', 'm', 'ask IG').release).toBe('ask IG');
  });
});

describe('a flagged record', () => {
  it('says which custodian flagged it and that its own member must release it first', () => {
    expect(custodianReleaseDenial('police')).toMatchObject({
      code: 'CUSTODIAN_RELEASE_REQUIRED',
      rule: 'custodian-release',
      message:
        'police has flagged this record: its MASH member must release it for this case before its detail is shared.',
    });
  });
});

describe('evaluatePermission fails closed', () => {
  it('denies by default, with its own words, a field no policy names', async () => {
    expect(await evaluatePermission('Subject', 'shoeSize', {}, accessFor(manager))).toMatchObject({
      code: 'NOT_PERMITTED',
      rule: 'deny-by-default',
      message: 'No policy allows this field.',
      release: expect.stringMatching(/^nothing: no policy names this field/),
    });
  });

  it('denies by default a caller whose token names a role the policy does not know', async () => {
    // The rules cannot place an unknown role (no purposes, no cap): the rule errs, and the
    // answer must still be a denial a client can read, never `false` or an allowed field.
    const access = accessFor({ role: 'SUPERUSER' as Role });
    for (const [type, field] of [
      ['Subject', 'givenName'],
      ['HealthContact', 'summary'],
      ['Query', 'caseByReference'],
    ]) {
      const decision = await evaluatePermission(
        type,
        field,
        { reference: openCase.reference },
        access,
      );
      expect(decision).toBeInstanceOf(PolicyDenial);
      expect(decision).toMatchObject({ code: 'NOT_PERMITTED', rule: 'deny-by-default' });
    }
  });
});

describe('who may be named in a release', () => {
  it.each([
    [Role.AGENCY_RESEARCHER, 'an agency researcher'],
    [Role.MASH_MANAGER, 'a MASH manager'],
    [Role.CASE_SYSTEM, 'a case system'],
    [Role.IG_OFFICER, 'an information governance officer'],
    [Role.REFERRER, 'a referrer'],
  ])('%s is "%s"', (role, words) => {
    expect(describeRole(role)).toBe(words);
  });

  it.each([
    [[Role.MASH_MANAGER], 'nothing for your role: only a MASH manager may do this'],
    [
      [Role.REFERRER, Role.MASH_MANAGER],
      'nothing for your role: only a referrer or a MASH manager may do this',
    ],
  ])('roleRelease(%j)', (roles, release) => {
    expect(roleRelease(roles)).toBe(release);
  });

  it.each([
    [
      // The agency's own researcher sees its special category; of the others, only the roles
      // whose cap on other agencies reaches it.
      'special category of health, asked by a researcher',
      Role.AGENCY_RESEARCHER,
      Tier.SPECIAL_CATEGORY,
      'health',
      "nothing: an agency researcher may never see SPECIAL_CATEGORY information held by health; health's own researcher or a MASH manager or a case system may",
    ],
    [
      // The hub's records are nobody's "own agency" but the MASH's: no agency researcher is named
      // for them as their custodian.
      "the hub's identity, asked by an IG officer",
      Role.IG_OFFICER,
      Tier.IDENTITY,
      'mash',
      'nothing: an information governance officer may never see IDENTITY information held by mash; an agency researcher or a MASH manager or a case system may',
    ],
  ])('needToKnowRelease: %s', (_situation, role, tier, custodian, release) => {
    expect(needToKnowRelease(role, tier, custodian)).toBe(release);
  });

  it('names no custodian researcher for the shared check shape (no custodian)', () => {
    expect(needToKnowRelease(Role.REFERRER, Tier.SUMMARY, null)).not.toMatch(/own researcher/);
  });

  it.each([
    [
      'a referrer: no cap, so nothing',
      Role.REFERRER,
      null,
      Tier.SUMMARY,
      'police',
      "nothing: a referrer may never see SUMMARY information held by police; police's own researcher or an agency researcher or a MASH manager or a case system may",
    ],
    [
      'a researcher, another agency detail: the cap, whatever is recorded',
      Role.AGENCY_RESEARCHER,
      'police',
      Tier.DETAIL,
      'health',
      "nothing: an agency researcher may never see DETAIL information held by health; health's own researcher or a MASH manager or a case system may",
    ],
    [
      'a researcher, own summary: the manager records consent or a ground',
      Role.AGENCY_RESEARCHER,
      'police',
      Tier.SUMMARY,
      'police',
      RECORD_CONSENT_OR_GROUND,
    ],
  ])('consentRelease: %s', (_situation, role, agency, tier, custodian, release) => {
    expect(consentRelease(role, agency, tier, custodian)).toBe(release);
  });

  it.each([
    [
      // Recording a stronger basis is one step; another purpose would be two (the stage, and a basis).
      'detail on an agency check with no basis: one step, record a basis',
      Role.MASH_MANAGER,
      null,
      Purpose.AGENCY_CHECK,
      'NONE' as const,
      Tier.DETAIL,
      'health',
      "The MASH manager records the family's consent or a recorded ground of SIGNIFICANT_HARM_TO_CHILD, SERIOUS_HARM_TO_ADULT, SERIOUS_CRIME (recordConsent / recordSharingGround)",
    ],
    [
      'a case system, detail under serious harm to an adult',
      Role.CASE_SYSTEM,
      'social-care',
      Purpose.CASE_HISTORY,
      G.SERIOUS_HARM_TO_ADULT,
      Tier.DETAIL,
      'health',
      "The MASH manager records the family's consent or a recorded ground of SIGNIFICANT_HARM_TO_CHILD (recordConsent / recordSharingGround)",
    ],
    [
      'special category on an assessment under consent: only a strategy discussion sees it',
      Role.MASH_MANAGER,
      null,
      Purpose.ASSESSMENT,
      'CONSENT' as const,
      Tier.SPECIAL_CATEGORY,
      'health',
      'Ask for STRATEGY_DISCUSSION once the case is triaged at CHILD_PROTECTION (level 4), or a MASH manager decides STRATEGY_DISCUSSION',
    ],
  ])(
    'tierForPurposeRelease: %s',
    (_situation, role, agency, purpose, basis, tier, custodian, release) => {
      expect(tierForPurposeRelease(role, agency, purpose, basis, tier, custodian)).toBe(release);
    },
  );

  it.each([
    [
      Role.MASH_MANAGER,
      Purpose.STRATEGY_DISCUSSION,
      'STRATEGY_DISCUSSION once the case is triaged at CHILD_PROTECTION (level 4), or a MASH manager decides STRATEGY_DISCUSSION; until then ask for AGENCY_CHECK',
    ],
    [
      // A role with no purpose that needs no stage has nothing to ask for meanwhile.
      Role.REFERRER,
      Purpose.ASSESSMENT,
      'ASSESSMENT once the case is triaged at COMPLEX (level 3) or above, or a MASH manager decides STRATEGY_DISCUSSION or CHILD_AND_FAMILY_ASSESSMENT',
    ],
  ])('purposeStageRelease(%s, %s)', (role, purpose, release) => {
    expect(purposeStageRelease(role, purpose)).toBe(release);
  });
});

describe('the stage of a case', () => {
  it.each([
    [null, 0],
    [undefined, 0],
    [T.UNIVERSAL, 1],
    [T.EARLY_HELP, 2],
    [T.COMPLEX, 3],
    [T.CHILD_PROTECTION, 4],
  ])('levelOf(%s) is %s', (threshold, level) => {
    expect(levelOf(threshold)).toBe(level);
  });

  it.each([
    [null, null, 0],
    [T.COMPLEX, null, 3],
    [T.EARLY_HELP, O.STRATEGY_DISCUSSION, 4],
    [T.UNIVERSAL, O.CHILD_AND_FAMILY_ASSESSMENT, 3],
    // A decision lower than the triage does not lower the stage.
    [T.CHILD_PROTECTION, O.CHILD_AND_FAMILY_ASSESSMENT, 4],
    // Decisions that add no stage.
    [T.EARLY_HELP, O.NO_FURTHER_ACTION, 2],
    [null, O.EARLY_HELP_ASSESSMENT, 0],
  ])('triaged %s, decided %s: level %s', (threshold, decision, level) => {
    expect(stageLevel({ threshold, decision })).toBe(level);
  });

  it.each([
    [Purpose.AGENCY_CHECK, null],
    [Purpose.CASE_HISTORY, null],
    [Purpose.AUDIT, null],
    [
      Purpose.ASSESSMENT,
      'the case is triaged at COMPLEX (level 3) or above, or a MASH manager decides STRATEGY_DISCUSSION or CHILD_AND_FAMILY_ASSESSMENT',
    ],
    [
      // The top of the continuum has nothing above it.
      Purpose.STRATEGY_DISCUSSION,
      'the case is triaged at CHILD_PROTECTION (level 4), or a MASH manager decides STRATEGY_DISCUSSION',
    ],
  ])('%s needs: %s', (purpose, words) => {
    expect(stageNeededFor(purpose)).toBe(words);
  });
});

describe('the protected-address policy is read as data', () => {
  const refuge = { addressLines: new Set(['5 moss lane']), postcodes: new Set(['NS94KN']) };

  it.each([
    ['the address line alone', '5 Moss Lane', 'ZZ1 1ZZ', true],
    ['the postcode alone', '9 Other Road', 'NS9 4KN', true],
    ['neither', '9 Other Road', 'ZZ1 1ZZ', false],
    ['no address at all', null, null, false],
  ])('%s', (_situation, addressLine, postcode, protectedHere) => {
    expect(
      isAtProtectedAddress({ addressLine, postcode, addressConfidential: false }, refuge),
    ).toBe(protectedHere);
  });

  it('lets a role learn a protected address only once the policy names it', () => {
    const allowed = PROTECTED_ADDRESS_POLICY.rolesAllowed as Role[];
    allowed.push(Role.IG_OFFICER);
    try {
      expect(mayLearnProtectedAddress(Role.IG_OFFICER)).toBe(true);
      expect(mayLearnProtectedAddress(Role.MASH_MANAGER)).toBe(false);
      expect(mayLearnProtectedAddress(null)).toBe(false);
    } finally {
      allowed.length = 0;
    }
    expect(mayLearnProtectedAddress(Role.IG_OFFICER)).toBe(false);
  });

  it('says the address is protected because a person at risk lives there', () => {
    expect(protectedAddressDenial().message).toBe(
      'This address is protected: a person at risk lives there.',
    );
  });
});
