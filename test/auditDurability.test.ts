import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Purpose, Role } from '../policies/roles';
import { postGraphQL, requestHeaders } from './graphqlClient';

// The whole system as `npm start` runs it, in its own process, so it can be killed outright.
const PORT = 24000 + (process.pid % 1000) * 7;
const URL = `http://localhost:${PORT}/graphql`;
let auditDir: string;

function startSystem(): Promise<{
  process: ChildProcess;
  exited: Promise<unknown>;
  team: string;
  caseRef: string;
}> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'gateway/start.ts'], {
    env: {
      ...process.env,
      PORT: String(PORT),
      FAMILIES: '12',
      AUDIT_DATA_DIR: auditDir,
      NODE_OPTIONS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Listened for from the start, so the exit cannot be missed however soon it comes.
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no start within 90 s:\n${output}`)), 90_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const started = output.match(/in team (\S+), to which case (MASH-\d+-\d+) is assigned/);
      if (started && output.includes('Stop with')) {
        clearTimeout(timer);
        resolve({ process: child, exited, team: started[1], caseRef: started[2] });
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => code !== null && reject(new Error(`exited ${code}:\n${output}`)));
  });
}

beforeAll(() => {
  auditDir = mkdtempSync(path.join(tmpdir(), 'mash-audit-'));
});
afterAll(() => rmSync(auditDir, { recursive: true, force: true }));

it('loses no audit record of any response that was returned when the process is killed (SIGKILL)', async () => {
  const first = await startSystem();
  const headers = await requestHeaders(
    { userId: 'manager.burst', role: Role.MASH_MANAGER, team: first.team },
    Purpose.AGENCY_CHECK,
    first.caseRef,
  );
  const query = `{ caseByReference(reference: "${first.caseRef}") { subjects { givenName police { status } health { status } } } }`;

  // A burst from 8 clients; the process is killed in the middle of it.
  let returned = 0;
  let killed = false;
  const client = async () => {
    while (!killed) {
      const response = await postGraphQL(URL, query, undefined, headers).catch(() => null);
      if (response?.status === 200 && response.body.data?.caseByReference) returned += 1;
    }
  };
  const clients = Array.from({ length: 8 }, client);
  // Kill once a good number of answers are back (however slow this machine is), bounded at 30 s.
  const deadline = Date.now() + 30_000;
  while (returned < 20 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 50));
  first.process.kill('SIGKILL');
  killed = true;
  await Promise.all(clients);
  await first.exited;
  expect(returned).toBeGreaterThanOrEqual(20);

  const second = await startSystem();
  try {
    const ig = await requestHeaders(
      { userId: 'ig.test', role: Role.IG_OFFICER },
      Purpose.AUDIT,
      null,
    );
    const { body } = await postGraphQL(
      URL,
      '{ verifyAuditChain { valid recordsChecked problem } }',
      undefined,
      ig,
    );
    expect(body.data.verifyAuditChain).toMatchObject({ valid: true, problem: null });
    // Every response that came back was recorded before it left (and this check is one more).
    expect(body.data.verifyAuditChain.recordsChecked).toBeGreaterThanOrEqual(returned);
  } finally {
    second.process.kill('SIGTERM');
  }
}, 240_000);
