import 'reflect-metadata';
import { SubgraphAnswerCheck } from '../gateway/subgraphAnswer';
import { AGENCIES } from '../subgraphs/agencies';

/**
 * What checking a subgraph's answer against its schema costs the gateway (gateway/subgraphAnswer.ts):
 * each agency's check of N subjects, as the gateway asks for it, timed over many repetitions.
 * `node -r @swc-node/register bench/answerCheck.ts`
 */
async function main() {
  console.log('agency             subjects  checks/s  µs per check  µs per subject');
  for (const agency of AGENCIES) await timeAnswerCheck(agency.name, agency.policy.checkField);
}

async function timeAnswerCheck(agency: string, field: string) {
  const definition = AGENCIES.find((a) => a.name === agency)!;
  const check = new SubgraphAnswerCheck((await definition.buildSchema()).sdl);
  const query = `query ManagerAgencyChecks__${agency.replace(/-/g, '_')}__3($representations:[_Any!]!){_entities(representations:$representations){...on Subject{${field}{agency status reason checkedAt match{confidence basis needsVerification differences recordReference otherCandidates}}}}}`;
  for (const subjects of [5, 50, 500]) {
    const representations = Array.from({ length: subjects }, (_v, i) => ({
      __typename: 'Subject',
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    }));
    const data = {
      _entities: representations.map((_r, i) => ({
        [field]: {
          agency,
          status: i % 2 ? 'FOUND' : 'NONE_FOUND',
          reason: null,
          checkedAt: '2026-12-02T08:00:00.000Z',
          match:
            i % 2
              ? {
                  confidence: 0.97,
                  basis: 'NAME_DOB_POSTCODE',
                  needsVerification: false,
                  differences: [],
                  recordReference: `rec-${i}`,
                  otherCandidates: 0,
                }
              : null,
        },
      })),
    };
    const request = { query, variables: { representations } };
    if (check.problem(request, { data }) !== null) throw new Error('the sample answer must fit');
    const runs = Math.max(20, Math.round(20_000 / subjects));
    for (let i = 0; i < runs / 10; i++) check.problem(request, { data }); // warm up
    const started = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) check.problem(request, { data });
    const micros = Number(process.hrtime.bigint() - started) / 1000 / runs;
    console.log(
      `${agency.padEnd(17)}  ${String(subjects).padStart(8)}  ${String(Math.round(1e6 / micros)).padStart(8)}  ${micros.toFixed(0).padStart(12)}  ${(micros / subjects).toFixed(1).padStart(14)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
