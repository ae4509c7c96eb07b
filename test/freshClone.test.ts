import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AGENCIES } from '../subgraphs/agencies';
import { SUBGRAPHS } from '../subgraphs';

/**
 * What a newcomer does, from a fresh clone: the README's run command, the `curl` it prints, then
 * one signal to stop it. A clone of HEAD is what lands: uncommitted changes are not in it, and
 * neither is `.mash-dev/` (the development key, the audit store), which no earlier run created.
 * That is how `npm start` came to fail on every fresh clone while the suite passed: every test ran
 * in a checkout where something had already made `.mash-dev/`.
 */
const REPO = path.resolve(__dirname, '..');
const STATUSES = ['FOUND', 'NONE_FOUND', 'WITHHELD', 'UNAVAILABLE'];

/** The README's "Two commands" table, row "run the whole system": the command it promises. */
function readmeRunCommand(): string {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Two commands'));
  const row = section?.split('\n').find((line) => /^\|\s*run the whole system/.test(line));
  const command = row?.match(/`([^`]+)`/)?.[1];
  if (!command)
    throw new Error('README.md has no "run the whole system" row under "Two commands".');
  return command;
}

/** A run of free ports (the gateway and every subgraph), away from the documented 4000. */
async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    const free = await Promise.all(Array.from({ length: count }, (_v, i) => isFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('No run of free ports found.');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () =>
      probe.close(() => resolve(true)),
    );
  });
}

async function waitUntil(condition: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a fresh clone, as the README says to run it', () => {
  let clone: string;
  let npm: ChildProcess | null = null;
  let output = '';

  beforeAll(() => {
    clone = mkdtempSync(path.join(tmpdir(), 'mash-fresh-clone-'));
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', REPO, clone]);
    // node_modules from this checkout, not `npm ci`: installing takes minutes and the network,
    // and what this test is about is what the repository itself holds and does.
    symlinkSync(path.join(REPO, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  });

  afterAll(() => {
    if (npm && npm.exitCode === null) npm.kill('SIGKILL');
    rmSync(clone, { recursive: true, force: true });
  });

  it('starts, answers the printed curl for every agency, and stops on one signal to npm', async () => {
    expect(existsSync(path.join(clone, '.mash-dev'))).toBe(false);
    // "npm ci && npm start": the install is the symlink above; the rest is run as written.
    const command = readmeRunCommand()
      .replace(/^npm ci\s*&&\s*/, '')
      .trim();
    expect(command).toMatch(/^npm( [\w:-]+)+$/); // a plain npm command: spawned, so npm gets the signal
    const [program, ...args] = command.split(' ');

    const base = await freePortRange(SUBGRAPHS.length + 1);
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(base) };
    for (const name of ['AUDIT_DATA_DIR', 'FAMILIES', 'SEED', 'NODE_OPTIONS', 'JEST_WORKER_ID'])
      delete env[name];
    npm = spawn(program, args, { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'] });
    npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      npm!.once('exit', (code, signal) => resolve({ code, signal })),
    );

    await waitUntil(
      () => output.includes('Stop with Ctrl+C') || npm!.exitCode !== null,
      50_000,
      `the ready banner; so far:\n${output}`,
    );
    expect(output).toContain('mash-gateway is running');
    expect(existsSync(path.join(clone, '.mash-dev', 'audit-store'))).toBe(true);

    // The curl exactly as printed: from "curl" to the end of its last continued line.
    const lines = output.split('\n');
    const first = lines.findIndex((line) => line.trimStart().startsWith('curl '));
    expect(first).toBeGreaterThan(-1);
    let last = first;
    while (lines[last].trimEnd().endsWith('\\')) last++;
    const curl = lines.slice(first, last + 1).join('\n');
    const caseRef = curl.match(/x-mash-case: ([A-Z0-9-]+)/)![1];
    const answer = await new Promise<string>((resolve, reject) =>
      execFile('sh', ['-c', curl], { cwd: clone }, (error, stdout) =>
        error ? reject(error) : resolve(stdout),
      ),
    );
    const body = JSON.parse(answer);
    expect(body.errors).toBeUndefined();
    expect(body.data.caseByReference.reference).toBe(caseRef);
    const subjects = body.data.caseByReference.subjects as Record<string, { status: string }>[];
    expect(subjects.length).toBeGreaterThan(0);
    for (const subject of subjects) {
      for (const agency of AGENCIES.map((a) => a.policy.checkField)) {
        expect(STATUSES).toContain(subject[agency].status);
      }
    }

    // Every port the banner names, then one SIGTERM to npm (not to its child: to what a user ran).
    const ports = [
      ...new Set(
        [...output.matchAll(/(?:localhost|127\.0\.0\.1):(\d+)/g)].map((m) => Number(m[1])),
      ),
    ];
    expect(ports).toHaveLength(SUBGRAPHS.length + 1);
    expect(ports).toContain(base);
    npm.kill('SIGTERM');
    await exited;
    await waitUntil(
      async () => (await Promise.all(ports.map(isFree))).every(Boolean),
      5_000,
      `ports ${ports.join(', ')} to be free after one SIGTERM to npm`,
    );
  }, 90_000);
});
