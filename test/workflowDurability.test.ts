import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { databaseNameFor, databaseUrl, dropDatabase, ensureDatabase } from '../database/postgres';
import { HUB_AGENCIES } from '../subgraphs/mash/data';

/**
 * Intake, triage, an agency's check and the decision each write the whole record or none: the
 * mash subgraph runs in its own process over an embedded database on disk (test/workflowWriter.ts),
 * is stopped just after one of a mutation's writes — before the mutation commits — and killed with
 * SIGKILL; the next process reopens the database and reports what is there. Had any step written
 * outside its transaction, the rows it wrote before the kill would be found. On PostgreSQL
 * (`npm run test:postgres`) the subgraph runs on its own migrated database on the server instead.
 */
const serverUrl =
  process.env.MASH_TEST_DATABASE === 'postgres' ? process.env.MASH_POSTGRES_URL : undefined;
const databaseName = databaseNameFor('mash', `durability_${process.pid}`);
let store: string;
beforeAll(async () => {
  if (serverUrl) {
    await dropDatabase(serverUrl, databaseName);
    await ensureDatabase(serverUrl, databaseName);
    store = databaseUrl(serverUrl, databaseName);
  } else {
    store = mkdtempSync(path.join(tmpdir(), 'mash-workflow-durability-'));
  }
});
afterAll(async () => {
  if (serverUrl) await dropDatabase(serverUrl, databaseName);
  else rmSync(store, { recursive: true, force: true });
});

interface Report {
  cases: { reference: string; status: string; triaged: boolean; rag: string | null }[];
  referrals: number;
  subjects: number;
  tasks: number;
  completedTasks: string[];
  decisions: number;
}

/** Runs the steps; with `killAt`, kills the process with SIGKILL once it stops after that write. */
function writer(steps: string[], killAt?: string): Promise<{ report: Report; paused: boolean }> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', path.join(__dirname, 'workflowWriter.ts'), store, ...steps],
    {
      cwd: path.resolve(__dirname, '..'),
      env: { ...process.env, KILL_AT: killAt ?? '', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let paused = false;
  const read = (chunk: Buffer) => {
    output += chunk.toString();
    if (killAt && !paused && output.includes(`PAUSED ${killAt}`)) {
      paused = true;
      child.kill('SIGKILL');
    }
  };
  child.stdout.on('data', read);
  child.stderr.on('data', read);
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => {
      const reported = /^REPORT (.*)$/m.exec(output);
      if (killAt ? signal !== 'SIGKILL' : code !== 0)
        return reject(new Error(`writer ended ${signal ?? code}:\n${output}`));
      resolve({ report: reported ? (JSON.parse(reported[1]) as Report) : (null as never), paused });
    });
  });
}

const WHOLE_INTAKE = { referrals: 1, subjects: 3 };

it('a referral killed mid-intake leaves no referral, case or subject', async () => {
  // Stopped after the household's rows are written: referral, case and subjects all written.
  const killed = await writer(['intake'], 'Subject:insert');
  expect(killed.paused).toBe(true);
  const { report } = await writer(['report']);
  expect(report).toEqual({
    cases: [],
    referrals: 0,
    subjects: 0,
    tasks: 0,
    completedTasks: [],
    decisions: 0,
  });
}, 120_000);

it('a triage killed after the case and the RAG are written leaves the case untriaged, with no tasks', async () => {
  // The intake before it commits and survives the kill: the database on disk holds what committed.
  const killed = await writer(['intake', 'report', 'triage'], 'AgencyCheckTask:insert');
  expect(killed.paused).toBe(true);
  expect(killed.report).toMatchObject(WHOLE_INTAKE);
  const { report } = await writer(['report']);
  expect(report).toMatchObject({ ...WHOLE_INTAKE, tasks: 0 });
  expect(report.cases).toEqual([
    { reference: expect.stringMatching(/-000001$/), status: 'OPEN', triaged: false, rag: null },
  ]);
}, 120_000);

it("an agency's check killed mid-write stays outstanding", async () => {
  const [agency] = HUB_AGENCIES;
  const killed = await writer(['triage', `check:${agency}`], 'AgencyCheckTask:update');
  expect(killed.paused).toBe(true);
  const { report } = await writer(['report']);
  // The triage committed whole (the case, its RAG and a task per agency); the check did not.
  expect(report).toMatchObject({ tasks: HUB_AGENCIES.length, completedTasks: [] });
  expect(report.cases[0]).toMatchObject({ triaged: true, rag: 'AMBER', status: 'OPEN' });
}, 120_000);

it('a decision killed after the decision row is written leaves no decision and the case open', async () => {
  const checks = HUB_AGENCIES.map((agency) => `check:${agency}`);
  const killed = await writer([...checks, 'decide'], 'Case:update');
  expect(killed.paused).toBe(true);
  const { report } = await writer(['report']);
  expect(report).toMatchObject({ decisions: 0, completedTasks: expect.any(Array) });
  expect([...report.completedTasks].sort()).toEqual(HUB_AGENCIES);
  expect(report.cases[0].status).toBe('OPEN');

  // And the case can still be decided: nothing half-done stands in the way.
  const { report: after } = await writer(['decide', 'report']);
  expect(after).toMatchObject({ decisions: 1 });
  expect(after.cases[0].status).toBe('DECIDED');
}, 120_000);
