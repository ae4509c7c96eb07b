import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { Purpose, Role } from '../policies/roles';
import { Tier, TIER_NAMES } from '../policies/tier';
import type { AgencyEventSource } from '../schema/agencyEvents';
import type { AgencyDefinition } from '../schema/subgraphDefinition';
import { AGENCIES } from '../subgraphs/agencies';
import { caseReference, caseStatus, MASH_TEAMS } from '../subgraphs/mash/data';
import { CaseStatus } from '../subgraphs/mash/entities/case';
import { caseStudyHouseholds, SyntheticFamily } from '../synthetic/population';
import { GraphQLBody, postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem } from './testSystem';
import { subgraphCalls } from '../gateway/subgraphFetch';

/**
 * Every agency's own events, through the gateway, on the seeded population (no fixture): for each
 * agency a subject it holds dated records for gets them in the chronology — as many, of the kinds
 * and on the days the agency check itself shows — merged in time order with the other agencies';
 * another agency's researcher gets them at the tier the policy gives (the fallback summary, or the
 * event without one), the withheld summary never on the wire; and the cumulative picture of the
 * repeated call-outs household counts both the police's call-outs and the school's concerns.
 */
let system: EmbeddedSystem;
/** The team of the cases this test opens; a seeded case is its family's team's. */
const TEAM = MASH_TEAMS[0];

/** The cases this test opens, one per case-study household. */
let studyCases: OpenCase[];

// The case studies' seed (its first three dozen families hold one household of each story), with
// enough families besides for every agency to hold records of some subject with consent.
beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 21, families: 80, subgraphTimeoutMs: 5000 });
  studyCases = await Promise.all(caseStudyHouseholds(system.population).map(openCase));
}, 120_000);
afterAll(() => system?.stop());

const EVENT_AGENCIES = AGENCIES.filter((a) => a.policy.events?.length);

async function ask(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<GraphQLBody> {
  return (await postGraphQL(system.gateway.url, query, variables, headers)).body;
}

interface OpenCase {
  reference: string;
  team: string;
}

const manager = ({ reference, team }: OpenCase) =>
  requestHeaders(
    { userId: 'manager.test', role: Role.MASH_MANAGER, team },
    Purpose.AGENCY_CHECK,
    reference,
  );

/** Opens a case for a household, as its members are, consent given. */
async function openCase(family: SyntheticFamily): Promise<OpenCase> {
  const body = await ask(
    'mutation ($r: ReferralInput!) { submitReferral(referral: $r) { caseReference } }',
    {
      r: {
        referrerType: 'SCHOOL',
        referrerName: 'Test',
        referrerOrganisation: 'Synthetic Primary School',
        referrerContact: 'dsl@synthetic-primary.example',
        concerns: 'A synthetic referral for the chronology test.',
        immediateRisk: false,
        consentSought: true,
        consentGiven: true,
        consentNotes: 'Synthetic: consent given.',
        subjects: family.members.map((p) => ({
          roleInHousehold: p.role,
          givenName: p.givenName,
          familyName: p.familyName,
          dateOfBirth: p.dateOfBirth,
          sex: p.sex,
          addressLine: p.addressLine,
          postcode: p.postcode,
          nhsNumber: p.nhsNumber,
        })),
      },
    },
    await requestHeaders(
      { userId: 'manager.test', role: Role.MASH_MANAGER, team: TEAM },
      null,
      null,
    ),
  );
  expect(body.errors).toBeUndefined();
  return { reference: body.data.submitReferral.caseReference, team: TEAM };
}

/** What the agency check shows of each record list an event reads: its dates and kinds. */
function checkSelection(agency: AgencyDefinition): string {
  const lists = new Map<string, Set<string>>();
  for (const source of agency.policy.events!) {
    const fields = lists.get(source.records) ?? new Set<string>();
    fields.add(source.date);
    if ('field' in source.kind) fields.add(source.kind.field);
    lists.set(source.records, fields);
  }
  return `${agency.policy.checkField} { status ${[...lists]
    .map(([records, fields]) => `${records} { ${[...fields].join(' ')} }`)
    .join(' ')} }`;
}

const CHRONOLOGY = `chronology(first: 100) { totalCount pageInfo { hasNextPage }
  edges { node { agency occurredAt kind summary summaryTier summaryWithheld { code rule } } }
  withheld { agency rule count } }`;

interface Node {
  agency: string;
  occurredAt: string;
  kind: string;
  summary: string | null;
  summaryTier: string | null;
  summaryWithheld: { code: string; rule: string } | null;
}
type Row = Record<string, unknown>;

/** The events an agency's check says it holds: `KIND@day`, the lists the caller may not see left out. */
function expectedEvents(agency: AgencyDefinition, check: Row | null): string[] {
  if (check?.status !== 'FOUND') return [];
  return agency.policy.events!.flatMap((source: AgencyEventSource) =>
    ((check[source.records] as Row[] | null) ?? [])
      .filter((r) => r[source.date] !== null)
      .map((r) => {
        const kind =
          'fixed' in source.kind
            ? source.kind.fixed
            : `${source.kind.prefix ?? ''}${String(r[source.kind.field])}`;
        return `${kind}@${String(r[source.date]).slice(0, 10)}`;
      }),
  );
}

/** Each subject of a case: its agency checks' event records and its chronology, as the manager sees them. */
async function subjectsOf(open: OpenCase) {
  const body = await ask(
    `query ($ref: String!) { caseByReference(reference: $ref) { subjects { id
      ${EVENT_AGENCIES.map(checkSelection).join('\n')}
      ${CHRONOLOGY} } } }`,
    { ref: open.reference },
    await manager(open),
  );
  // Only fields beyond the caller's tier are refused, each with its rule.
  for (const error of body.errors ?? []) expect(error.extensions).toHaveProperty('rule');
  return body.data.caseByReference.subjects as (Row & {
    id: string;
    chronology: { totalCount: number; edges: { node: Node }[]; pageInfo: { hasNextPage: boolean } };
  })[];
}

/** The open cases with consent: the seeded ones, then the case studies'. */
const openCases = (): OpenCase[] => [
  ...system.population
    .filter((f) => f.referral?.consent === 'GIVEN' && caseStatus(f.index) === CaseStatus.OPEN)
    .map((f) => ({
      reference: caseReference(f.index),
      team: MASH_TEAMS[f.index % MASH_TEAMS.length],
    })),
  ...studyCases,
];

describe("every agency's events reach the chronology", () => {
  it('for each agency, a subject it holds records for gets exactly those events, in time order with the others', async () => {
    const seen = new Map<string, number>();
    for (const open of openCases()) {
      const { reference } = open;
      for (const subject of await subjectsOf(open)) {
        const { edges, pageInfo } = subject.chronology;
        if (pageInfo.hasNextPage) continue; // a page holds them all, or the count would not say
        const nodes = edges.map((e) => e.node);
        const times = nodes.map((n) => Date.parse(n.occurredAt));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        for (const agency of EVENT_AGENCIES) {
          const expected = expectedEvents(agency, subject[agency.policy.checkField] as Row | null);
          const got = nodes
            .filter((n) => n.agency === agency.name)
            .map((n) => `${n.kind}@${n.occurredAt.slice(0, 10)}`);
          expect([reference, subject.id, agency.name, got.sort()]).toEqual([
            reference,
            subject.id,
            agency.name,
            expected.sort(),
          ]);
          if (got.length && new Set(nodes.map((n) => n.agency)).size > 1)
            seen.set(agency.name, (seen.get(agency.name) ?? 0) + 1);
        }
      }
    }
    // Every agency gave events to some subject whose chronology also holds another agency's.
    expect([...seen.keys()].sort()).toEqual(EVENT_AGENCIES.map((a) => a.name).sort());
  }, 240_000);
});

describe("another agency's researcher", () => {
  let captured: { url: string; body: string }[];
  let fetchSpy: jest.SpyInstance;
  const realFetch = subgraphCalls.fetch;
  beforeEach(() => {
    captured = [];
    fetchSpy = jest.spyOn(subgraphCalls, 'fetch').mockImplementation(async (input, init) => {
      const response = await realFetch(input, init);
      const url = String(input);
      if (system.subgraphs.some((s) => url.startsWith(s.url)))
        captured.push({ url, body: await response.clone().text() });
      return response;
    });
  });
  afterEach(() => fetchSpy.mockRestore());
  const fromAgency = (name: string) =>
    captured
      .filter((c) => c.url.startsWith(system.subgraphs.find((s) => s.name === name)!.url))
      .map((c) => c.body)
      .join('\n');

  /** The free-text DETAIL summaries (a narrative, not an enum a count could echo) of an agency's records. */
  const detailTexts = (agency: AgencyDefinition, check: Row): string[] =>
    agency.policy.events!.flatMap((source) => {
      const richest = source.summary[0];
      if (agency.policy.fieldTiers[source.type][richest] < Tier.DETAIL) return [];
      return ((check[source.records] as Row[] | null) ?? [])
        .map((r) => r[richest])
        .filter((v): v is string => typeof v === 'string' && v.length > 15);
    });

  /** The tier of the richest summary of the events of a kind. */
  const richestTier = (agency: AgencyDefinition, kind: string): Tier => {
    const sources = agency.policy.events!;
    const source =
      sources.find((s) => 'fixed' in s.kind && s.kind.fixed === kind) ??
      sources.find((s) => 'field' in s.kind && kind.startsWith(s.kind.prefix ?? ''))!;
    return agency.policy.fieldTiers[source.type][source.summary[0]];
  };

  it.each(EVENT_AGENCIES.filter((a) => a.name !== 'police').map((a) => [a.name, a] as const))(
    "sees %s's events at the tier a police researcher may, its detail never on the wire",
    async (_name, agency) => {
      // A subject the agency has detail on that a police researcher may not see.
      for (const { reference, team } of openCases()) {
        const detailQuery = `query ($ref: String!) { caseByReference(reference: $ref) { subjects { id
          ${agency.policy.checkField} { status ${agency.policy
            .events!.map((s) => `${s.records} { ${s.summary[0]} }`)
            .filter((v, i, all) => all.indexOf(v) === i)
            .join(' ')} } } } }`;
        const own = await ask(
          detailQuery,
          { ref: reference },
          await requestHeaders(
            { userId: 'own.test', role: Role.AGENCY_RESEARCHER, agency: agency.name, team },
            Purpose.AGENCY_CHECK,
            reference,
          ),
        );
        for (const subject of own.data?.caseByReference?.subjects ?? []) {
          const check = subject[agency.policy.checkField] as Row | null;
          if (check?.status !== 'FOUND') continue;
          const secrets = detailTexts(agency, check);
          if (!secrets.length) continue;
          captured = [];
          const body = await ask(
            `query ($ref: String!) { caseByReference(reference: $ref) { subjects { id ${CHRONOLOGY} } } }`,
            { ref: reference },
            await requestHeaders(
              { userId: 'police.test', role: Role.AGENCY_RESEARCHER, agency: 'police', team },
              Purpose.AGENCY_CHECK,
              reference,
            ),
          );
          const page = body.data.caseByReference.subjects.find(
            (s: { id: string }) => s.id === subject.id,
          ).chronology;
          const theirs: Node[] = page.edges
            .map((e: { node: Node }) => e.node)
            .filter((n: Node) => n.agency === agency.name);
          const withheld = page.withheld.filter(
            (w: { agency: string }) => w.agency === agency.name,
          );
          // Listed with a summary no richer than SUMMARY, or counted by rule: never dropped.
          expect(theirs.length + withheld.length).toBeGreaterThan(0);
          for (const node of theirs) {
            if (node.summaryTier)
              expect([TIER_NAMES[Tier.IDENTITY], TIER_NAMES[Tier.SUMMARY]]).toContain(
                node.summaryTier,
              );
            // A richer summary the policy keeps from them is said to be withheld, with its rule.
            const richest = richestTier(agency, node.kind);
            expect([node.kind, node.summaryWithheld !== null]).toEqual([
              node.kind,
              richest > Tier.SUMMARY,
            ]);
          }
          const wire = fromAgency(agency.name);
          expect(wire).toContain(`"agency":"${agency.name}"`);
          for (const secret of secrets) expect(wire).not.toContain(secret);
          expect(JSON.stringify(body)).not.toContain(secrets[0]);
          return;
        }
      }
      throw new Error(`No subject with ${agency.name} detail in the test population.`);
    },
    120_000,
  );
});

describe('the cumulative picture of the repeated call-outs household', () => {
  it("counts the police's call-outs and the school's concerns, each repeating", async () => {
    const [family] = caseStudyHouseholds(system.population, 'REPEATED_CALL_OUTS');
    if (!family) throw new Error('No REPEATED_CALL_OUTS household: change the seed.');
    const open = studyCases[caseStudyHouseholds(system.population).indexOf(family)];
    const body = await ask(
      `query ($ref: String!) { caseByReference(reference: $ref) { subjects { id
        cumulativePicture { counts { agency kind total windows { months count previous trend } } } } } }`,
      { ref: open.reference },
      await manager(open),
    );
    const counts = body.data.caseByReference.subjects.flatMap(
      (s: { cumulativePicture: { counts: Row[] } }) => s.cumulativePicture.counts,
    ) as {
      agency: string;
      kind: string;
      total: number;
      windows: { months: number; count: number }[];
    }[];
    const total = (agency: string, kind: RegExp) =>
      counts
        .filter((c) => c.agency === agency && kind.test(c.kind))
        .reduce((sum, c) => sum + c.total, 0);
    // Every child and parent was at the home each time (at least 4 call-outs, caseStudies.test.ts).
    expect(total('police', /^DOMESTIC_ABUSE$/)).toBeGreaterThanOrEqual(4);
    expect(total('education', /^SCHOOL_CONCERN_BEHAVIOUR$/)).toBeGreaterThan(0);
    expect(total('education', /^SCHOOL_CONCERN_INJURY_SEEN$/)).toBeGreaterThan(0);
    // Repetition over the longest window, in both agencies.
    for (const [agency, kind] of [
      ['police', /^DOMESTIC_ABUSE$/],
      ['education', /^SCHOOL_CONCERN_/],
    ] as const) {
      const longest = counts
        .filter((c) => c.agency === agency && kind.test(c.kind))
        .map((c) => c.windows.find((w) => w.months === 36)!.count);
      expect(Math.max(...longest)).toBeGreaterThan(1);
    }
  });
});
