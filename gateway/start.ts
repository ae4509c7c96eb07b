import 'reflect-metadata';
import { Role } from '../policies/roles';
import { caseSystemReference } from '../subgraphs/mash/data';
import { DevelopmentIdentity, issueDevelopmentToken } from './authentication';
import { loadConfig } from './config';
import { startEmbeddedSystem } from './embeddedSystem';
import { CASE_HEADER, PURPOSE_HEADER } from './requestAccess';

/** `npm start`: the whole system on the embedded database with generated synthetic data. */
async function main() {
  const config = loadConfig();
  const started = Date.now();
  const system = await startEmbeddedSystem(config);
  const { url } = system.gateway;
  const team = system.exampleTeam;
  const caseRef = system.exampleCaseReference;
  const caseSystemRef = caseSystemReference(Number(caseRef.slice(-6)));

  const people: [string, DevelopmentIdentity][] = [
    ['MASH manager', { userId: 'manager.demo', role: Role.MASH_MANAGER, team }],
    ...['social-care', 'police', 'health', 'education'].map(
      (agency): [string, DevelopmentIdentity] => [
        `${agency} researcher`,
        { userId: `researcher.${agency}.demo`, role: Role.AGENCY_RESEARCHER, agency, team },
      ],
    ),
    ['case system', { userId: 'case-system.demo', role: Role.CASE_SYSTEM, agency: 'social-care' }],
    ['IG officer', { userId: 'ig.demo', role: Role.IG_OFFICER }],
    ['referrer', { userId: 'referrer.demo', role: Role.REFERRER }],
  ];
  const tokens = await Promise.all(people.map(([, who]) => issueDevelopmentToken(who)));
  const body = JSON.stringify({
    query: `{ caseByReference(reference: "${caseRef}") { reference subjects { givenName familyName police { status reason incidents { type occurredAt } } health { status gpPractice } education { status school } socialCare { status episodes { kind startDate } } } } }`,
  });
  console.log(`
mash-gateway is running: ${system.subgraphs.length} subgraphs and the gateway, embedded database,
${config.families} synthetic families (seed ${config.seed}), started in ${((Date.now() - started) / 1000).toFixed(1)} s.

  GraphiQL (open in a browser; query and a manager's headers are loaded):  ${url}
${system.subgraphs.map((s) => `  subgraph ${s.name.padEnd(12)} ${s.url.padEnd(24)} ${s.custodian}`).join('\n')}

Development tokens, valid 8 hours (embedded demo only; more: npm run token -- <role> [agency]).
Researchers and the manager are in team ${team}, to which case ${caseRef} is assigned; the case
system knows that case as ${caseSystemRef}.
${people.map(([name, who], i) => `  ${name.padEnd(22)} ${who.role.padEnd(18)} ${tokens[i]}`).join('\n')}

Every request states its purpose (${PURPOSE_HEADER}) and its case (${CASE_HEADER}). The agency checks
for case ${caseRef}, as the MASH manager:
  curl -s ${url} -H 'content-type: application/json' \\
    -H 'authorization: Bearer ${tokens[0]}' \\
    -H '${PURPOSE_HEADER}: AGENCY_CHECK' -H '${CASE_HEADER}: ${caseRef}' \\
    -d '${body}'

The policy as a table: npm run policy-matrix. Stop with Ctrl+C. Every person here is synthetic.
`);
  const stop = async () => {
    await system.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
