import { agencyCheckQuery } from '../gateway/exampleQuery';
import { Purpose, Role } from '../policies/roles';
import { AGENCIES } from '../subgraphs/agencies';
import { MASH_TEAMS } from '../subgraphs/mash/data';
import { REFERENCE_DATE, SyntheticFamily, SyntheticPerson } from '../synthetic/population';
import { postGraphQL, requestHeaders } from '../test/graphqlClient';
import { CHRONOLOGY_PAGE_SIZE } from './chronologyPage';

/** The households the benchmark measures, by size, and the team whose manager asks. */
export const HOUSEHOLD_SIZES = [1, 6, 20];
export const BENCH_TEAM = MASH_TEAMS[0];
/** Households of this size or more are chosen so that every agency finds someone in them. */
const EVERY_AGENCY_FROM = 6;
/** Households tried per size before the one where the most agencies found someone is kept. */
const ATTEMPTS = 40;
/** The household whose chronology is paged: it must fill a page (`CHRONOLOGY_PAGE_SIZE` events). */
const CHRONOLOGY_HOUSEHOLD = 6;
/** Households of 6 tried for one that also fills a page: fewer than one in forty does at 10,000 people. */
const CHRONOLOGY_ATTEMPTS = 200;

/**
 * Opens a case for each household size through the hub's own intake (a referral to the gateway at
 * `gatewayUrl`), as a MASH would, and returns each case's reference by household size. From a
 * household of 6, every one of the ten agencies should find someone and load their records, so
 * the benchmark measures every agency's whole check: which agency holds whom is the seeds' random
 * draw, so candidate households are referred in turn and the first where all ten find someone
 * is kept (else the one where most did). The household of 6 must also hold a full chronology page
 * (50 events the manager may see, across the agencies): the first where all ten find someone and
 * it does is kept, else the one where most agencies, then most events.
 */
export async function openBenchCases(
  gatewayUrl: string,
  population: SyntheticFamily[],
): Promise<Record<number, string>> {
  const manager = (caseReference: string | null) =>
    requestHeaders(
      { userId: 'manager.bench', role: Role.MASH_MANAGER, team: BENCH_TEAM },
      caseReference ? Purpose.AGENCY_CHECK : null,
      caseReference,
    );
  const open = async (people: SyntheticPerson[]): Promise<string> => {
    const { body } = await postGraphQL(
      gatewayUrl,
      'mutation ($r: ReferralInput!) { submitReferral(referral: $r) { caseReference } }',
      { r: benchReferral(people) },
      await manager(null),
    );
    if (!body.data?.submitReferral)
      throw new Error(
        `Opening a household of ${people.length} failed: ${JSON.stringify(body.errors)}`,
      );
    return body.data.submitReferral.caseReference as string;
  };
  const agenciesFinding = async (caseReference: string): Promise<number> => {
    const { body } = await postGraphQL(
      gatewayUrl,
      agencyCheckQuery(caseReference),
      {},
      await manager(caseReference),
    );
    const subjects = (body.data?.caseByReference?.subjects ?? []) as Record<string, unknown>[];
    return AGENCIES.filter(({ policy }) =>
      subjects.some(
        (s) => (s[policy.checkField] as { status?: string } | null)?.status === 'FOUND',
      ),
    ).length;
  };
  const householdEvents = async (caseReference: string): Promise<number> => {
    const { body } = await postGraphQL(
      gatewayUrl,
      'query ($ref: String!) { caseByReference(reference: $ref) { chronology(first: 1) { totalCount } } }',
      { ref: caseReference },
      await manager(caseReference),
    );
    return body.data?.caseByReference?.chronology?.totalCount ?? 0;
  };
  const cases: Record<number, string> = {};
  for (const size of HOUSEHOLD_SIZES) {
    let best: { caseReference: string; agencies: number; events: number } | null = null;
    const pagesChronology = size === CHRONOLOGY_HOUSEHOLD;
    const attempts = pagesChronology
      ? CHRONOLOGY_ATTEMPTS
      : size >= EVERY_AGENCY_FROM
        ? ATTEMPTS
        : 1;
    for (let attempt = 0; attempt < attempts; attempt++) {
      const people = householdOf(population, size, attempt);
      if (!people) break;
      const caseReference = await open(people);
      const agencies = size >= EVERY_AGENCY_FROM ? await agenciesFinding(caseReference) : 0;
      const events = pagesChronology ? await householdEvents(caseReference) : 0;
      if (!best || agencies > best.agencies || (agencies === best.agencies && events > best.events))
        best = { caseReference, agencies, events };
      if (agencies === AGENCIES.length && (!pagesChronology || events >= CHRONOLOGY_PAGE_SIZE))
        break;
    }
    if (!best) throw new Error(`The population is too small for a household of ${size}.`);
    if (size >= EVERY_AGENCY_FROM)
      console.error(
        `household of ${size}: ${best.agencies} of ${AGENCIES.length} agencies find someone in it${
          pagesChronology ? `, ${best.events} chronology events` : ''
        }`,
      );
    cases[size] = best.caseReference;
  }
  return cases;
}

const CONCERNS_IN_TURN: SyntheticFamily['concern'][] = [
  'DOMESTIC_ABUSE',
  'PARENTAL_MENTAL_HEALTH',
  'SUBSTANCE_MISUSE',
  'NEGLECT',
];

/**
 * `size` people of families the agencies have reason to know (a concern, not new to the area): a
 * child first (the referral is about them), then the adults of families taken a concern at a time,
 * in turn (domestic abuse, a parent's mental health, substance misuse, neglect), then their
 * children: each concern brings different agencies (the police and the domestic-abuse service,
 * mental health, probation, adult social care), and adults more of them than children. `attempt` starts each concern's families further
 * on, for another household of the same shape. Null when the population has too few.
 */
function householdOf(
  population: SyntheticFamily[],
  size: number,
  attempt: number,
): SyntheticPerson[] | null {
  const known = population.filter((f) => !f.newToArea && f.concern !== 'NONE');
  const byConcern = CONCERNS_IN_TURN.map((concern) =>
    known.filter((f) => f.concern === concern).slice(attempt),
  );
  const inTurn: SyntheticFamily[] = [];
  for (let i = 0; byConcern.some((families) => i < families.length); i++)
    for (const families of byConcern) if (i < families.length) inTurn.push(families[i]);
  const adult = (p: SyntheticPerson) => ageOn(p.dateOfBirth) >= 18;
  const members = [
    ...inTurn.flatMap((f) => f.members.filter(adult)),
    ...inTurn.flatMap((f) => f.members.filter((p) => !adult(p))),
  ];
  const child = members.find((p) => p.role === 'CHILD' && ageOn(p.dateOfBirth) < 17);
  if (!child || members.length < size) return null;
  return [child, ...members.filter((p) => p !== child).slice(0, size - 1)];
}

function ageOn(dateOfBirth: string): number {
  return (REFERENCE_DATE.getTime() - new Date(dateOfBirth).getTime()) / (365.25 * 86_400_000);
}

function benchReferral(people: SyntheticPerson[]) {
  return {
    referrerType: 'SCHOOL',
    referrerName: 'Benchmark',
    referrerOrganisation: 'Synthetic Primary School',
    referrerContact: 'bench@synthetic-primary.example',
    concerns: 'A synthetic referral opened by the benchmark to measure the agency checks.',
    immediateRisk: false,
    consentSought: true,
    consentGiven: true,
    consentNotes: 'Synthetic: consent given.',
    subjects: people.map((p, i) => ({
      // Only the first is the child referred; the others are named as household members.
      roleInHousehold: i === 0 ? 'CHILD' : p.role === 'CHILD' ? 'SIBLING' : p.role,
      givenName: p.givenName,
      familyName: p.familyName,
      dateOfBirth: p.dateOfBirth,
      sex: p.sex,
      addressLine: p.addressLine,
      postcode: p.postcode,
      nhsNumber: p.nhsNumber,
    })),
  };
}
