import { parseArgs } from 'node:util';
import { developmentServiceAccounts } from './clientCredentials';

/**
 * `npm run -s client-secret -- [--client C]`: the embedded demo's secret for a case system's client
 * id (the first one, `case-system.social-care.demo`, when not given), from `.mash-dev/`.
 * Production clients get theirs from the council's identity provider.
 */
function main() {
  const { values } = parseArgs({ options: { client: { type: 'string' } } });
  const accounts = developmentServiceAccounts();
  const account = values.client ? accounts.find((a) => a.clientId === values.client) : accounts[0];
  if (!account)
    throw new Error(
      `Usage: npm run -s client-secret -- [--client C]\n  clients: ${accounts.map((a) => a.clientId).join(', ')}`,
    );
  process.stdout.write(`${account.secret}\n`);
}

try {
  main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
