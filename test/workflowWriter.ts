import { execute, parse } from 'graphql';
import { EntitySubscriberInterface, InsertEvent, UpdateEvent } from 'typeorm';
import { AgencyDatabase, openEmbeddedAgencyDatabase } from '../database/agencyDataSource';
import { EmbeddedPostgres } from '../database/embeddedPostgres';
import { openPostgresDatabase } from '../database/postgres';
import { Purpose, Role } from '../policies/roles';
import { HUB_AGENCIES } from '../subgraphs/mash/data';
import { AgencyCheckTask } from '../subgraphs/mash/entities/agencyCheckTask';
import { Case } from '../subgraphs/mash/entities/case';
import { Decision } from '../subgraphs/mash/entities/decision';
import { Referral } from '../subgraphs/mash/entities/referral';
import { Subject } from '../subgraphs/mash/entities/subject';
import { mash } from '../subgraphs/mash';
import type { Caller } from '../policies/accessContext';

/**
 * A child process for test/workflowDurability.test.ts: the mash subgraph over an embedded database
 * kept on disk (argv[2] a folder) or a PostgreSQL database (argv[2] its URL, migrated), running the workflow steps named in argv[3…] one after another:
 *   report            prints `REPORT {json}`: what the database holds, read after reopening it
 *   intake            submits a referral naming three people
 *   triage            triages the newest case
 *   check:<agency>    records that agency's check on the newest case
 *   decide            records the decision on the newest case
 * With KILL_AT="<Entity>:<insert|update>" the process stops for good just after that write, inside
 * whatever transaction made it, and prints `PAUSED`: the test then kills it with SIGKILL. Only
 * this test file sets it; nothing in the service reads it.
 */
const [store, ...steps] = process.argv.slice(2);
const killAt = process.env.KILL_AT ?? null;

class StopAfterWrite implements EntitySubscriberInterface {
  afterInsert(event: InsertEvent<unknown>) {
    return this.maybeStop(`${event.metadata.name}:insert`);
  }
  afterUpdate(event: UpdateEvent<unknown>) {
    return this.maybeStop(`${event.metadata.name}:update`);
  }
  private maybeStop(point: string): Promise<void> | void {
    if (point !== killAt) return;
    process.stdout.write(`PAUSED ${point}\n`);
    return new Promise(() => undefined);
  }
}

const manager: Caller = {
  userId: 'manager.durability',
  role: Role.MASH_MANAGER,
  agency: null,
  team: 'mash-east',
};

async function main() {
  const embedded = store.startsWith('postgres://') ? null : await EmbeddedPostgres.start(store);
  const { dataSource }: AgencyDatabase = embedded
    ? await openEmbeddedAgencyDatabase(embedded, 'mash', mash.entities)
    : await openPostgresDatabase(store, mash, { migrate: true });
  dataSource.subscribers.push(new StopAfterWrite());
  const { schema } = await mash.buildSchema();
  const run = async (caller: Caller, text: string, variables: Record<string, unknown> = {}) => {
    const result = await execute({
      schema,
      document: parse(text),
      variableValues: variables,
      contextValue: mash.createContext(dataSource, {
        kind: 'request',
        access: { caller, purpose: Purpose.AGENCY_CHECK, declaredCase: null, case: null },
      }),
    });
    if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('\n'));
    return result.data!;
  };
  const newestCase = async () =>
    (await dataSource.getRepository(Case).find({ order: { reference: 'DESC' }, take: 1 }))[0]
      .reference;

  for (const step of steps) {
    const [name, agency] = step.split(':');
    if (name === 'report') {
      const cases = await dataSource.getRepository(Case).find({ order: { reference: 'ASC' } });
      const referrals = await dataSource.getRepository(Referral).find();
      const tasks = await dataSource.getRepository(AgencyCheckTask).find();
      process.stdout.write(
        `REPORT ${JSON.stringify({
          cases: cases.map((c) => ({
            reference: c.reference,
            status: c.status,
            triaged: c.triagedAt !== null,
            rag: referrals.find((r) => r.id === c.referralId)?.rag ?? null,
          })),
          referrals: referrals.length,
          subjects: await dataSource.getRepository(Subject).count(),
          tasks: tasks.length,
          completedTasks: tasks.filter((t) => t.completedAt !== null).map((t) => t.agency),
          decisions: await dataSource.getRepository(Decision).count(),
        })}\n`,
      );
    } else if (name === 'intake') {
      await run(
        manager,
        `mutation ($referral: ReferralInput!) { submitReferral(referral: $referral) { caseReference } }`,
        { referral: REFERRAL },
      );
    } else if (name === 'triage') {
      await run(
        manager,
        `mutation ($case: String!) { triageReferral(caseReference: $case, rag: AMBER, threshold: COMPLEX,
          reason: "Injury disclosed by a child of eight; no immediate danger today.") { reference } }`,
        { case: await newestCase() },
      );
    } else if (name === 'check' && HUB_AGENCIES.includes(agency)) {
      await run(
        { userId: `researcher.${agency}`, role: Role.AGENCY_RESEARCHER, agency, team: 'mash-east' },
        `mutation ($case: String!) { recordAgencyCheck(caseReference: $case, finding: {
          summary: "Known to this agency; relevant history shared in proportion to the worry.",
          worries: "Previous similar injury", workingWell: "Attends regularly",
          needsToHappen: "Assessment", riskView: AMBER }) { agency } }`,
        { case: await newestCase() },
      );
    } else if (name === 'decide') {
      await run(
        manager,
        `mutation ($case: String!) { recordDecision(caseReference: $case, outcome: CHILD_AND_FAMILY_ASSESSMENT,
          ragAfterChecks: RED, rationale: "Police and health hold earlier injuries; a full assessment is needed.") { outcome } }`,
        { case: await newestCase() },
      );
    } else {
      throw new Error(`Unknown step ${step}`);
    }
    process.stdout.write(`DONE ${step}\n`);
  }
  await dataSource.destroy();
  await embedded?.close();
}

// Synthetic people only: the NHS number is in the never-issued 999 range.
const REFERRAL = {
  referrerType: 'SCHOOL',
  referrerName: 'A Teacher',
  referrerOrganisation: 'Synthetic Primary School',
  referrerContact: 'dsl@synthetic-primary.example',
  concerns: 'Child arrived with bruising to the arm and said they were scared to go home.',
  immediateRisk: false,
  consentSought: true,
  consentGiven: true,
  consentNotes: 'Mother agreed on the phone.',
  subjects: [
    {
      roleInHousehold: 'CHILD',
      givenName: 'Ada',
      familyName: 'Examplechild',
      dateOfBirth: '2018-03-04',
      postcode: 'SW19 1AA',
      nhsNumber: '9990000018',
    },
    {
      roleInHousehold: 'SIBLING',
      givenName: 'Cy',
      familyName: 'Examplechild',
      dateOfBirth: '2020-07-08',
    },
    {
      roleInHousehold: 'PARENT',
      givenName: 'Bea',
      familyName: 'Examplechild',
      dateOfBirth: '1990-05-06',
    },
  ],
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
