import { AGENCIES } from '../../subgraphs/agencies';
import { AccessContext, CaseFacts } from '../accessContext';
import { ConsentState, SharingGround } from '../consent';
import { releaseMutation } from '../custodianRelease';
import { evaluatePermission } from '../evaluatePermission';
import { Purpose, Role } from '../roles';
import { openCase } from './policyFixtures';

const ground = (g: SharingGround) => ({
  ground: g,
  authorisedBy: 'manager-1',
  authorisedAt: new Date(),
  reason: 'why',
});

type Row = [
  string, // situation
  {
    role: Role;
    agency?: string;
    team?: string;
    purpose?: Purpose;
    declared?: string | null;
    case?: Partial<CaseFacts> | null;
  },
  string, // Type.field
  true | string, // allowed, or the denial code
];

const researcher = {
  role: Role.AGENCY_RESEARCHER,
  agency: 'police',
  team: 'mash-east',
  purpose: Purpose.AGENCY_CHECK,
};
const manager = { role: Role.MASH_MANAGER, team: 'mash-east', purpose: Purpose.AGENCY_CHECK };
const refused = { consent: ConsentState.REFUSED };

// The specification of the policy: one row per situation.
const rows: Row[] = [
  ['police researcher, consent: own agency detail', researcher, 'IncidentRecord.summary', true],
  ['police researcher, consent: other agency summary', researcher, 'HealthContact.kind', true],
  [
    'police researcher, consent: other agency detail',
    researcher,
    'SocialCareEpisode.outcome',
    'NEED_TO_KNOW',
  ],
  [
    'police researcher, consent: own special category is beyond an agency check',
    researcher,
    'HealthContact.summary',
    'NEED_TO_KNOW',
  ],
  [
    'manager, consent, agency check: detail of any agency',
    manager,
    'SocialCareEpisode.outcome',
    true,
  ],
  [
    'manager, consent, agency check: special category',
    manager,
    'HealthContact.summary',
    'NEED_TO_KNOW',
  ],
  [
    'manager, consent, strategy discussion: special category',
    { ...manager, purpose: Purpose.STRATEGY_DISCUSSION },
    'HealthContact.summary',
    true,
  ],
  [
    'refused consent, no ground: agency check withheld',
    { ...manager, case: refused },
    'Subject.police',
    'CONSENT_REQUIRED',
  ],
  [
    'refused consent, no ground: identity still shown',
    { ...manager, case: refused },
    'Subject.givenName',
    true,
  ],
  [
    'refused consent, significant harm recorded: detail',
    {
      ...manager,
      case: { ...refused, grounds: [ground(SharingGround.SIGNIFICANT_HARM_TO_CHILD)] },
    },
    'IncidentRecord.summary',
    true,
  ],
  [
    'not sought, unjustified delay recorded: summary',
    {
      ...manager,
      case: {
        consent: ConsentState.NOT_SOUGHT,
        grounds: [ground(SharingGround.UNJUSTIFIED_DELAY)],
      },
    },
    'IncidentRecord.type',
    true,
  ],
  [
    'not sought, unjustified delay recorded: not detail',
    {
      ...manager,
      case: {
        consent: ConsentState.NOT_SOUGHT,
        grounds: [ground(SharingGround.UNJUSTIFIED_DELAY)],
      },
    },
    'IncidentRecord.summary',
    'NEED_TO_KNOW',
  ],
  [
    'the strongest recorded ground counts',
    {
      ...manager,
      purpose: Purpose.STRATEGY_DISCUSSION,
      case: {
        consent: ConsentState.NOT_REQUIRED,
        grounds: [
          ground(SharingGround.UNJUSTIFIED_DELAY),
          ground(SharingGround.SIGNIFICANT_HARM_TO_CHILD),
        ],
      },
    },
    'HealthContact.summary',
    true,
  ],
  ['unassigned team', { ...researcher, team: 'mash-west' }, 'Subject.police', 'NOT_ASSIGNED'],
  ['closed case', { ...researcher, case: { status: 'CLOSED' } }, 'Subject.police', 'CASE_CLOSED'],
  [
    'no case declared',
    { ...researcher, declared: null, case: null },
    'Subject.police',
    'CASE_REQUIRED',
  ],
  [
    'wrong purpose for the role',
    { ...researcher, purpose: Purpose.STRATEGY_DISCUSSION },
    'Subject.police',
    'WRONG_PURPOSE',
  ],
  ['no purpose stated', { ...researcher, purpose: undefined }, 'Subject.police', 'WRONG_PURPOSE'],
  [
    'IG officer reads no child records',
    { role: Role.IG_OFFICER, team: 'mash-east', purpose: Purpose.AUDIT },
    'Subject.givenName',
    'NEED_TO_KNOW',
  ],
  [
    'IG officer reads the policy matrix',
    { role: Role.IG_OFFICER, purpose: Purpose.AUDIT },
    'Query.policyMatrix',
    true,
  ],
  [
    'a researcher may not read the policy matrix',
    researcher,
    'Query.policyMatrix',
    'NOT_PERMITTED',
  ],
  [
    'referrer reads no agency records',
    { role: Role.REFERRER, team: 'mash-east', purpose: Purpose.AGENCY_CHECK },
    'Subject.police',
    'WRONG_PURPOSE',
  ],
  [
    'case system naming the case by its own reference',
    {
      role: Role.CASE_SYSTEM,
      agency: 'social-care',
      purpose: Purpose.CASE_HISTORY,
      declared: 'CSC-000001',
    },
    'SocialCareEpisode.outcome',
    true,
  ],
  [
    'case system naming the case by the MASH reference',
    { role: Role.CASE_SYSTEM, agency: 'social-care', purpose: Purpose.CASE_HISTORY },
    'Subject.socialCare',
    'NOT_ASSIGNED',
  ],
  ['only a manager records consent', researcher, 'Mutation.recordConsent', 'NOT_PERMITTED'],
  [
    'only police release police records',
    { ...researcher, agency: 'health' },
    'Mutation.releasePoliceRecord',
    'NOT_PERMITTED',
  ],
  // Custodian release in every agency: its own researcher only, never another's, nor the manager.
  ...AGENCIES.flatMap((agency): Row[] => {
    const release = `Mutation.${releaseMutation(agency.name)}`;
    const other = AGENCIES.find((a) => a.name !== agency.name)!.name;
    return [
      [
        `${agency.name}'s researcher releases ${agency.name}'s records`,
        { ...researcher, agency: agency.name },
        release,
        true,
      ],
      [
        `${other}'s researcher may not release ${agency.name}'s`,
        { ...researcher, agency: other },
        release,
        'NOT_PERMITTED',
      ],
      [`the manager may not release ${agency.name}'s`, manager, release, 'NOT_PERMITTED'],
      [
        `${agency.name}'s researcher, case not theirs`,
        { ...researcher, agency: agency.name, team: 'mash-west' },
        release,
        'NOT_ASSIGNED',
      ],
      [
        `${agency.name}'s researcher, no case declared`,
        { ...researcher, agency: agency.name, declared: null, case: null },
        release,
        'CASE_REQUIRED',
      ],
    ];
  }),
  ['the case list is for managers', researcher, 'Query.cases', 'NOT_PERMITTED'],
  ['a field no policy names is denied', manager, 'Subject.shoeSize', 'NOT_PERMITTED'],
  ['a type no policy names is denied', manager, 'CaseAccessFacts.teams', 'NOT_PERMITTED'],
];

describe('evaluatePermission', () => {
  it.each(rows)('%s', async (_situation, who, field, expected) => {
    const access: AccessContext = {
      caller: { userId: 'u1', role: who.role, agency: who.agency ?? null, team: who.team ?? null },
      purpose: who.purpose ?? null,
      declaredCase: who.declared === undefined ? openCase.reference : who.declared,
      case: who.case === null ? null : { ...openCase, ...who.case },
    };
    const [typeName, fieldName] = field.split('.');
    const decision = await evaluatePermission(
      typeName,
      fieldName,
      { reference: openCase.reference },
      access,
    );
    if (expected === true) expect(decision).toBe(true);
    else expect(decision === true ? 'allowed' : decision.code).toBe(expected);
  });

  it('names the rule that denied, for the audit', async () => {
    const access: AccessContext = {
      caller: { userId: 'u1', role: Role.MASH_MANAGER, agency: null, team: 'mash-east' },
      purpose: Purpose.AGENCY_CHECK,
      declaredCase: openCase.reference,
      case: { ...openCase, consent: ConsentState.REFUSED },
    };
    const decision = await evaluatePermission('Subject', 'health', {}, access);
    expect(decision).toMatchObject({
      code: 'CONSENT_REQUIRED',
      rule: 'consent-or-recorded-ground',
    });
  });

  it('refuses a request that names another case than it declared', async () => {
    const access: AccessContext = {
      caller: { userId: 'u1', role: Role.MASH_MANAGER, agency: null, team: 'mash-east' },
      purpose: Purpose.AGENCY_CHECK,
      declaredCase: openCase.reference,
      case: openCase,
    };
    const decision = await evaluatePermission(
      'Query',
      'caseByReference',
      { reference: 'MASH-2026-000999' },
      access,
    );
    expect(decision).toMatchObject({ code: 'NOT_ASSIGNED', rule: 'names-declared-case' });
  });
});
