import 'reflect-metadata';
import { loadConfig } from './config';
import { startEmbeddedSystem } from './embeddedSystem';

/** `npm start`: the whole system on the embedded database with generated synthetic data. */
async function main() {
  const config = loadConfig();
  const started = Date.now();
  const system = await startEmbeddedSystem(config);
  const { url } = system.gateway;
  const body = JSON.stringify({
    query: `{ caseByReference(reference: "${system.exampleCaseReference}") { reference subjects { givenName familyName police { status incidents { type occurredAt } } health { status gpPractice } education { status school } socialCare { status episodes { kind startDate } } } } }`,
  });
  console.log(`
mash-gateway is running: ${system.subgraphs.length} subgraphs and the gateway, embedded database,
${config.families} synthetic families (seed ${config.seed}), started in ${((Date.now() - started) / 1000).toFixed(1)} s.

  GraphiQL (open in a browser, the example query is loaded):  ${url}
${system.subgraphs.map((s) => `  subgraph ${s.name.padEnd(12)} ${s.url}`).join('\n')}

Example agency check for case ${system.exampleCaseReference} with curl:
  curl -s ${url} -H 'content-type: application/json' \\
    -d '${body}'

Stop with Ctrl+C. All people in this system are synthetic.
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
