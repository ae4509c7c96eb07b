import 'reflect-metadata';
import { createServer } from 'node:net';
import { AGENCIES, SUBGRAPHS } from '../subgraphs';
import { issueDevelopmentToken } from './authentication';
import { GatewayConfig, loadConfig } from './config';
import { EmbeddedSystem, startEmbeddedSystem } from './embeddedSystem';
import { CASE_HEADER, PURPOSE_HEADER } from './requestAccess';
import { startTracing } from './tracing';

/** `npm start`: the whole system on the embedded database with generated synthetic data. */
async function main() {
  const config = loadConfig();
  // Off unless OTEL_TRACES_EXPORTER says otherwise; spans end with the process.
  startTracing('mash-gateway');
  // Before seeding (seconds of work): a port already taken fails at once, named.
  await refuseTakenPorts(config);
  const started = Date.now();
  const system = await startEmbeddedSystem({
    ...config,
    metricsToken: process.env.METRICS_TOKEN?.trim() || null,
  }).catch((error: unknown) => {
    throw portInUse(error, config) ?? error;
  });
  stopWithParent(system);
  await printBanner(system, config, Date.now() - started);
}

async function printBanner(system: EmbeddedSystem, config: GatewayConfig, startedInMs: number) {
  const { url } = system.gateway;
  const team = system.exampleTeam;
  const caseRef = system.exampleCaseReference;
  const people = system.savedOperations;
  const caseSystem = people.find((p) => p.key === 'case-system')!;
  const tokens = await Promise.all(people.map((p) => issueDevelopmentToken(p.identity)));
  // Every agency's status and why: what any case shows whole (records can wait for a verified match).
  const body = JSON.stringify({
    query: `{ caseByReference(reference: "${caseRef}") { reference subjects { givenName familyName ${AGENCIES.map((a) => `${a.policy.checkField} { status reason }`).join(' ')} } } }`,
  });
  console.log(`
mash-gateway is running: ${system.subgraphs.length} subgraphs and the gateway, embedded database,
${config.families} synthetic families (seed ${config.seed}), started in ${(startedInMs / 1000).toFixed(1)} s.

  GraphiQL (open in a browser; a tab per role, with its headers, is loaded):  ${url}
${system.subgraphs.map((s) => `  subgraph ${s.name.padEnd(12)} ${s.url.padEnd(24)} ${s.custodian}`).join('\n')}

Development tokens, valid 8 hours (embedded demo only; more: npm run token -- <role> [agency]).
Researchers and the manager are in team ${team}, to which case ${caseRef} is assigned; the case
system knows that case as ${caseSystem.caseReference}.
${people.map((p, i) => `  ${p.label.padEnd(22)} ${p.identity.role.padEnd(18)} ${tokens[i]}`).join('\n')}

Every request states its purpose (${PURPOSE_HEADER}) and its case (${CASE_HEADER}). The agency checks
for case ${caseRef}, as the MASH manager:
  curl -s ${url} -H 'content-type: application/json' \\
    -H 'authorization: Bearer ${tokens[0]}' \\
    -H '${PURPOSE_HEADER}: AGENCY_CHECK' -H '${CASE_HEADER}: ${caseRef}' \\
    -d '${body}'

A case system is a service account: a 5-minute token from ${url.replace(/graphql$/, 'oauth/token')} by client
credentials (${system.serviceAccounts[0].clientId}, secret: npm run -s client-secret), then the
operations registered in operations/ only. An example client, from another terminal:
  MASH_CLIENT_SECRET=$(npm run -s client-secret) npm run -s example:case-system

Metrics (Prometheus): ${url.replace(/graphql$/, 'metrics')}. Logs: one JSON line per request below.
The policy as a table: npm run policy-matrix. Stop with Ctrl+C. Every person here is synthetic.
`);
}

/**
 * Stops everything, once, on SIGINT, SIGTERM or SIGHUP — and when the parent process is gone.
 * `npm start` execs node, so npm's forwarded signal reaches this process; but if npm itself is
 * killed outright (SIGKILL) or a wrapper shell dies, nothing would tell us, and the ports
 * would stay taken by an orphan. The parent's pid changes when we are orphaned: watch it.
 */
const PARENT_GONE = 'the parent process ended';

function stopWithParent(system: EmbeddedSystem) {
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) {
      // A second Ctrl+C while in-flight requests finish: stop now.
      if (why !== PARENT_GONE) process.exit(130);
      return;
    }
    stopping = true;
    console.log(`Stopping (${why}): finishing in-flight requests, closing the databases.`);
    // Bounded: a request that never finishes must not keep the ports taken.
    setTimeout(() => process.exit(0), 10_000).unref();
    system.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Stopped with an error: ${error instanceof Error ? error.message : error}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => stop(signal));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop(PARENT_GONE);
  }, 500).unref();
}

/** The ports `npm start` takes: the gateway's, then one per subgraph. */
function portsOf(config: GatewayConfig): number[] {
  return [config.port, ...SUBGRAPHS.map((_s, i) => config.port + i + 1)];
}

async function refuseTakenPorts(config: GatewayConfig) {
  if (config.port === 0) return;
  for (const port of portsOf(config)) {
    const taken = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      const probe = createServer();
      probe.once('error', (error: NodeJS.ErrnoException) => resolve(error));
      probe.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
        probe.close(() => resolve(null)),
      );
    });
    if (taken) throw portInUse(taken, config) ?? taken;
  }
}

/** EADDRINUSE, or EACCES for a privileged port, in words: which port, why, what to do. */
function portInUse(error: unknown, config: GatewayConfig): Error | null {
  const { code, port } = error as { code?: string; port?: number };
  if (code !== 'EADDRINUSE' && code !== 'EACCES') return null;
  const ports = portsOf(config);
  const range = `${ports[0]}–${ports[ports.length - 1]}`;
  const which = port ?? 'one of the ports';
  const cause =
    code === 'EADDRINUSE'
      ? `Port ${which} is in use — another mash-gateway running? Stop it (Ctrl+C in its terminal)`
      : `Port ${which} may not be opened by this user`;
  return new Error(
    `${cause}, or use --port N (or PORT=N). The gateway takes port N and the ${ports.length - 1} subgraphs the ports after it: with port ${config.port}, ${range}.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
