import { Role } from '../policies/roles';
import { MASH_TEAMS } from '../subgraphs/mash/data';
import { REFERENCE_DATE, SyntheticFamily, SyntheticPerson } from '../synthetic/population';
import { postGraphQL, requestHeaders } from '../test/graphqlClient';

/** The households the benchmark measures, by size, and the team whose manager asks. */
export const HOUSEHOLD_SIZES = [1, 6, 20];
export const BENCH_TEAM = MASH_TEAMS[0];

/**
 * Opens a case for each household size through the hub's own intake (a referral to the gateway at
 * `gatewayUrl`), as a MASH would, and returns each case's reference by household size.
 */
export async function openBenchCases(
  gatewayUrl: string,
  population: SyntheticFamily[],
): Promise<Record<number, string>> {
  const manager = await requestHeaders(
    { userId: 'manager.bench', role: Role.MASH_MANAGER, team: BENCH_TEAM },
    null,
    null,
  );
  const cases: Record<number, string> = {};
  for (const size of HOUSEHOLD_SIZES) {
    const { body } = await postGraphQL(
      gatewayUrl,
      'mutation ($r: ReferralInput!) { submitReferral(referral: $r) { caseReference } }',
      { r: benchReferral(householdOf(population, size)) },
      manager,
    );
    if (!body.data?.submitReferral)
      throw new Error(`Opening the household of ${size} failed: ${JSON.stringify(body.errors)}`);
    cases[size] = body.data.submitReferral.caseReference;
  }
  return cases;
}

/**
 * `size` people of families the agencies have reason to know (a concern, not new to the area),
 * whole families in turn, a child first (the referral is about them), so that every agency has
 * records to load, not only a person index to search.
 */
function householdOf(population: SyntheticFamily[], size: number): SyntheticPerson[] {
  // Domestic-abuse families first: the police, health and social care all hold records on them.
  const rank = (f: SyntheticFamily) => (f.concern === 'DOMESTIC_ABUSE' ? 0 : 1);
  const known = population
    .filter((f) => !f.newToArea && f.concern !== 'NONE')
    .sort((a, b) => rank(a) - rank(b) || a.index - b.index)
    .flatMap((f) => f.members);
  const child = known.find((p) => p.role === 'CHILD' && ageOn(p.dateOfBirth) < 17);
  if (!child || known.length < size)
    throw new Error(`The population is too small for a household of ${size}.`);
  return [child, ...known.filter((p) => p !== child).slice(0, size - 1)];
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
