import { CheckStatus } from '../../schema/agencyCheck';
import { agencyEvents, existenceTier } from '../../schema/agencyEvents';
import { WithheldField } from '../../schema/denialError';
import { AGENCIES } from '../../subgraphs/agencies';
import { trendOf } from '../chronology';
import { ConsentState } from '../consent';
import { PolicyDenial } from '../policyDenial';
import { Purpose, Role } from '../roles';
import { Tier } from '../tier';
import { accessFor, Who } from './policyFixtures';

describe('trend: the last window against the one before it', () => {
  it.each([
    [3, 0, 'RISING'],
    [1, 0, 'RISING'],
    [0, 1, 'FALLING'],
    [2, 5, 'FALLING'],
    [0, 0, 'STEADY'],
    [4, 4, 'STEADY'],
  ])('%i against %i is %s', (last, previous, trend) => {
    expect(trendOf(last, previous)).toBe(trend);
  });
});

describe("an event exists at the most sensitive of its list, its date and its kind (each agency's policy.ts)", () => {
  const tierOf = (agency: string, records: string) => {
    const { policy } = AGENCIES.find((a) => a.name === agency)!;
    return existenceTier(
      policy,
      policy.events!.find((e) => e.records === records)!,
    );
  };
  it.each([
    ['police', 'incidents', Tier.SUMMARY],
    ['police', 'arrests', Tier.SUMMARY],
    ['health', 'contacts', Tier.SUMMARY],
    ['education', 'exclusions', Tier.SUMMARY],
    ['social-care', 'episodes', Tier.SUMMARY],
    ['mental-health', 'episodes', Tier.DETAIL],
    ['mental-health', 'crisisContacts', Tier.SPECIAL_CATEGORY],
    ['mental-health', 'admissions', Tier.SPECIAL_CATEGORY],
    ['education', 'safeguardingConcerns', Tier.SUMMARY],
    ['health', 'referrals', Tier.SUMMARY],
    ['probation', 'supervisions', Tier.SUMMARY],
    ['probation', 'licenceConditions', Tier.SUMMARY],
    ['domestic-abuse', 'cases', Tier.SUMMARY],
    ['housing', 'tenancies', Tier.SUMMARY],
    ['housing', 'homelessnessApplications', Tier.SUMMARY],
    ['housing', 'temporaryAccommodation', Tier.SUMMARY],
    ['housing', 'antisocialBehaviour', Tier.SUMMARY],
    ['early-help', 'episodes', Tier.SUMMARY],
    ['adult-social-care', 'safeguardingConcerns', Tier.SUMMARY],
  ])('%s %s: %s', (agency, records, tier) => {
    expect(tierOf(agency, records)).toBe(tier);
  });

  it.each(AGENCIES.map((a) => [a.name, a]))('%s declares at least one event source', (_, a) => {
    expect(a.policy.events?.length).toBeGreaterThan(0);
  });

  it("one agency's events never share a reference (the hub keeps one event per reference)", () => {
    for (const { name, policy } of AGENCIES) {
      const references = (policy.events ?? []).map(
        (e) => `${name} ${e.records}.${e.reference}${e.referenceSuffix ?? ''}`,
      );
      expect(new Set(references).size).toBe(references.length);
    }
  });

  it('every record list an event reads is a record list of its check', () => {
    for (const { policy } of AGENCIES)
      for (const source of policy.events ?? [])
        expect(() => existenceTier(policy, source)).not.toThrow();
  });

  it('every declared event names a record list, date, kind and summaries its agency tiers', () => {
    for (const { name, policy } of AGENCIES)
      for (const source of policy.events ?? []) {
        const fields = policy.fieldTiers[source.type];
        expect([name, source.type, fields]).not.toContainEqual(undefined);
        for (const field of [
          source.date,
          ...source.summary,
          ...('field' in source.kind ? [source.kind.field] : []),
        ])
          expect([name, source.type, field, fields[field]]).not.toContain(undefined);
      }
  });
});

/**
 * The count rule (policies/chronology.ts), decided in the agency by `agencyEvents`: the mental
 * health trust's two crisis contacts (special category) and one episode (detail), for each caller.
 */
describe('withheld events are counted by rule, or not at all when a count would say too much', () => {
  const mentalHealth = AGENCIES.find((a) => a.name === 'mental-health')!;
  const found = {
    agency: 'mental-health',
    status: CheckStatus.FOUND,
    match: null,
    checkedAt: null,
    reason: null,
    episodes: [{ id: 'e1', openedOn: '2026-01-05', team: 'CMHT', updatedAt: new Date(0) }],
    crisisContacts: [1, 2].map((n) => ({
      id: `c${n}`,
      occurredOn: '2026-02-0' + n,
      kind: 'CRISIS_ASSESSMENT',
      summary: 'special',
      updatedAt: new Date(0),
    })),
    admissions: [],
  };
  const run = (who: Who, check: object = found) =>
    agencyEvents(
      'mental-health',
      's1',
      mentalHealth.policy,
      { kind: 'request', access: accessFor(who) },
      async () => check as never,
    );

  it.each<[string, Who, { events: string[]; withheld: [string, number | null][] }]>([
    [
      'a manager for an agency check: the episode, the crises counted',
      { role: Role.MASH_MANAGER },
      { events: ['OPEN_TO_TEAM'], withheld: [['tier-allowed-for-purpose', 2]] },
    ],
    [
      'a manager for a strategy discussion: everything',
      { role: Role.MASH_MANAGER, purpose: Purpose.STRATEGY_DISCUSSION },
      { events: ['OPEN_TO_TEAM', 'CRISIS_ASSESSMENT', 'CRISIS_ASSESSMENT'], withheld: [] },
    ],
    [
      "another agency's researcher: counts only, each by its rule",
      { role: Role.AGENCY_RESEARCHER, agency: 'police' },
      {
        events: [],
        withheld: [
          ['within-need-to-know', 1],
          ['tier-allowed-for-purpose', 2],
        ],
      },
    ],
    [
      'no consent, no ground: no events and no count',
      { role: Role.MASH_MANAGER, case: { consent: ConsentState.REFUSED } },
      { events: [], withheld: [['consent-or-recorded-ground', null]] },
    ],
    [
      'a referrer: nothing, no count',
      { role: Role.REFERRER },
      { events: [], withheld: [['role-may-act-for-purpose', null]] },
    ],
  ])('%s', async (_name, who, expected) => {
    const answer = await run(who);
    expect(answer.events.map((e) => e.kind)).toEqual(expected.events);
    expect(answer.withheld.map((w) => [w.rule, w.count])).toEqual(expected.withheld);
  });

  it('the agency is not even asked to match when the caller may not know it holds anything', async () => {
    let asked = false;
    const answer = await agencyEvents(
      'mental-health',
      's1',
      mentalHealth.policy,
      { kind: 'request', access: accessFor({ role: Role.IG_OFFICER, purpose: Purpose.AUDIT }) },
      async () => {
        asked = true;
        return found as never;
      },
    );
    expect(asked).toBe(false);
    expect(answer.status).toBe('WITHHELD');
  });

  it('an unverified match: the rule, no count (its records were never read)', async () => {
    const unverified = { ...found };
    for (const field of ['episodes', 'crisisContacts', 'admissions'])
      Object.defineProperty(unverified, field, {
        get() {
          // As the check loader's getter throws it (schema/agencyCheckLoader.ts).
          throw new WithheldField(
            new PolicyDenial(
              'MATCH_NOT_VERIFIED',
              'unverified-match-identity-only',
              'not verified',
            ),
          );
        },
      });
    const answer = await run(
      { role: Role.MASH_MANAGER, purpose: Purpose.STRATEGY_DISCUSSION },
      unverified,
    );
    expect(answer.events).toEqual([]);
    expect(answer.withheld).toEqual([
      {
        code: 'MATCH_NOT_VERIFIED',
        rule: 'unverified-match-identity-only',
        release: null,
        count: null,
      },
    ]);
  });

  it('the gateway asking for itself gets nothing', async () => {
    const answer = await agencyEvents(
      'mental-health',
      's1',
      mentalHealth.policy,
      { kind: 'gateway' },
      async () => found as never,
    );
    expect(answer).toMatchObject({ status: 'WITHHELD', events: [] });
  });
});

/** One domestic abuse case gives several events, each its own reference; an empty date is none. */
describe('a record with several dates', () => {
  const domesticAbuse = AGENCIES.find((a) => a.name === 'domestic-abuse')!;
  const aCase = (recordId: string, marac: boolean) => ({
    recordId,
    awaitingRelease: false,
    role: 'VICTIM',
    referredOn: '2026-01-02',
    dashRiskLevel: marac ? 'HIGH' : 'STANDARD',
    dashAssessedOn: '2026-01-03',
    maracReferredOn: marac ? '2026-01-05' : null,
    maracMeetingOn: marac ? '2026-01-20' : null,
    safetyPlanAgreedOn: null,
    safetyMeasures: null,
    updatedAt: new Date(0),
  });
  const check = {
    agency: 'domestic-abuse',
    status: CheckStatus.FOUND,
    match: null,
    checkedAt: null,
    reason: null,
    cases: [aCase('high', true), aCase('standard', false)],
  };

  it('is an event per date it has, each with its own reference, the summary by tier', async () => {
    const answer = await agencyEvents(
      'domestic-abuse',
      's1',
      domesticAbuse.policy,
      { kind: 'request', access: accessFor({ role: Role.AGENCY_RESEARCHER, agency: 'police' }) },
      async () => check as never,
    );
    expect(answer.events.map((e) => [e.recordReference, e.kind, e.summary])).toEqual([
      ['high', 'IDVA_REFERRAL', 'VICTIM'],
      ['standard', 'IDVA_REFERRAL', 'VICTIM'],
      ['high#dash', 'DASH_ASSESSMENT', 'VICTIM'],
      ['standard#dash', 'DASH_ASSESSMENT', 'VICTIM'],
      ['high#marac-referral', 'MARAC_REFERRAL', 'VICTIM'],
      ['high#marac-meeting', 'MARAC_MEETING', 'VICTIM'],
    ]);
    // The risk level is detail: another agency's researcher gets the role, told the level is withheld.
    expect(answer.events.find((e) => e.kind === 'MARAC_MEETING')).toMatchObject({
      summaryTier: 'SUMMARY',
      summaryWithheld: { rule: 'within-need-to-know' },
    });
    expect(answer.withheld).toEqual([]);
  });

  it("the service's own researcher gets the risk level", async () => {
    const answer = await agencyEvents(
      'domestic-abuse',
      's1',
      domesticAbuse.policy,
      {
        kind: 'request',
        access: accessFor({ role: Role.AGENCY_RESEARCHER, agency: 'domestic-abuse' }),
      },
      async () => check as never,
    );
    expect(answer.events.find((e) => e.kind === 'MARAC_MEETING')).toMatchObject({
      summary: 'HIGH',
      summaryTier: 'DETAIL',
      summaryWithheld: null,
    });
  });
});
