import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { startTestSystem } from './testSystem';

/** `npm run audit` as an IG officer runs it, against a running gateway found by PORT. */
let system: EmbeddedSystem;
let folder: string;

beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 7, families: 8, subgraphTimeoutMs: 2000 });
  folder = mkdtempSync(path.join(tmpdir(), 'mash-audit-command-'));
});

afterAll(async () => {
  await system?.stop();
  rmSync(folder, { recursive: true, force: true });
});

function audit(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', 'gateway/auditCommand.ts', ...args],
      { cwd: path.resolve(__dirname, '..'), env: { ...process.env, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('npm run audit', () => {
  it("exports from a plain date (the README's example), to the gateway on PORT", async () => {
    await audit(['verify'], { PORT: String(system.gateway.port) }); // one access at least
    const { code, stdout, stderr } = await audit(['export', '--from', '2026-11-01'], {
      PORT: String(system.gateway.port),
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^sequence,recorded,agentUserId,/);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows[1]).toContain('ig.demo');
  });

  it('writes --out whole, and on a failure leaves it untouched and prints nothing', async () => {
    const out = path.join(folder, 'trail.csv');
    const ok = await audit(['export', '--port', String(system.gateway.port), '--out', out]);
    expect(ok.code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n').length).toBeGreaterThan(2);

    writeFileSync(out, 'the previous export\n');
    const refused = await audit([
      'export',
      '--port',
      String(system.gateway.port),
      '--token',
      'not-a-token',
      '--out',
      out,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/The gateway refused \(401\)/);
    expect(readFileSync(out, 'utf8')).toBe('the previous export\n');
    expect(existsSync(path.join(folder, `.trail.csv.part`))).toBe(false);
  });

  it('prints nothing to standard output when the export fails', async () => {
    const { code, stdout, stderr } = await audit([
      'export',
      '--port',
      String(system.gateway.port),
      '--token',
      'x',
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe(''); // not even the header row: an empty trail must not look like one
    expect(stderr).not.toBe('');
  });

  it('refuses a date that is not one before asking the gateway', async () => {
    const { code, stdout, stderr } = await audit([
      'summary',
      '--from',
      '2026-11-31',
      '--port',
      '1',
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('--from 2026-11-31 is not a date in the calendar.');
  });
});
