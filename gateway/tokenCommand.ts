import { parseArgs } from 'node:util';
import { Role } from '../policies/roles';
import { AGENCIES } from '../subgraphs/agencies';
import { MASH_TEAMS } from '../subgraphs/mash/data';
import { developmentUserId, issueDevelopmentToken } from './authentication';

const AGENCY_NAMES = AGENCIES.map((agency) => agency.name);

/**
 * `npm run token -- <role> [agency] [--team T] [--user U]`: a development token for the embedded
 * demo, signed with the key in `.mash-dev/`. Production tokens come from the identity provider.
 */
async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { team: { type: 'string', default: MASH_TEAMS[0] }, user: { type: 'string' } },
  });
  const [roleArg, agency] = positionals;
  const role = roleArg?.toUpperCase() as Role;
  if (!Object.values(Role).includes(role)) {
    throw new Error(
      `Usage: npm run token -- <role> [agency] [--team ${MASH_TEAMS.join('|')}] [--user U]\n  roles: ${Object.values(Role).join(', ')}\n  agency (AGENCY_RESEARCHER, CASE_SYSTEM): ${AGENCY_NAMES.join(', ')}\n  --user: the token's user id (default as npm start's: ${developmentUserId(Role.MASH_MANAGER)}, ${developmentUserId(Role.AGENCY_RESEARCHER, 'police')} …)`,
    );
  }
  const needsAgency = role === Role.AGENCY_RESEARCHER || role === Role.CASE_SYSTEM;
  if (needsAgency && !AGENCY_NAMES.includes(agency ?? '')) {
    throw new Error(`A ${role} token needs its agency: one of ${AGENCY_NAMES.join(', ')}.`);
  }
  const token = await issueDevelopmentToken({
    userId: values.user ?? developmentUserId(role, needsAgency ? agency : null),
    role,
    agency: needsAgency ? agency : null,
    team: values.team,
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
