import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AuditEvent, Bundle } from '@medplum/fhirtypes';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { Purpose, Role } from '../policies/roles';
import { fhirProblems } from '../subgraphs/audit/__tests__/fhirValidation';
import { AuditRecord } from '../subgraphs/audit/entities';
import { caseReference, caseStatus, MASH_TEAMS } from '../subgraphs/mash/data';
import { CaseStatus } from '../subgraphs/mash/entities/case';
import type { SyntheticFamily } from '../synthetic/population';
import { postGraphQL, requestHeaders } from './graphqlClient';
import { startTestSystem } from './testSystem';

/**
 * The trail exported for IG's tools by `npm run audit -- export --format fhir|jsonl` and the
 * `auditExport` query: valid FHIR R4, the JSON lines a SIEM reads, and a chain an auditor checks
 * outside the system with scripts/verifyAuditExport.mjs alone — whole as exported, broken as soon
 * as one exported record is changed, removed or moved.
 */
let system: EmbeddedSystem;
let folder: string;
let records: AuditRecord[];
const ROOT = path.resolve(__dirname, '..');

function run(file: string, args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      file.endsWith('.mjs') ? [file, ...args] : ['-r', '@swc-node/register', file, ...args],
      { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}
const audit = (...args: string[]) =>
  run('gateway/auditCommand.ts', [...args, '--port', String(system.gateway.port)]);
/** The auditor's check, run as they would: a copy of the script, outside the repository. */
const verify = (file: string) => run(path.join(folder, 'verifyAuditExport.mjs'), [file]);

beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 8, families: 30, subgraphTimeoutMs: 2000 });
  folder = mkdtempSync(path.join(tmpdir(), 'mash-audit-export-'));
  writeFileSync(
    path.join(folder, 'verifyAuditExport.mjs'),
    readFileSync(path.join(ROOT, 'scripts', 'verifyAuditExport.mjs')),
  );
  // A trail with each kind of record: shared, withheld for want of consent, refused outright.
  const open = (f: SyntheticFamily) =>
    f.referral && !f.newToArea && caseStatus(f.index) === CaseStatus.OPEN;
  const query = `query Checks($ref: String!) { caseByReference(reference: $ref) { subjects { id
    police { status incidents { type summary } } health { status contacts { kind summary } } } } }`;
  for (const consent of ['GIVEN', 'REFUSED']) {
    const family = system.population.find(
      (f) => open(f) && f.referral!.consent === consent && f.referral!.rag !== 'RED',
    )!;
    const ref = caseReference(family.index);
    const team = MASH_TEAMS[family.index % MASH_TEAMS.length];
    const who = {
      userId: 'researcher.police',
      role: Role.AGENCY_RESEARCHER,
      agency: 'police',
      team,
    };
    const headers = await requestHeaders(who, Purpose.AGENCY_CHECK, ref);
    await postGraphQL(system.gateway.url, query, { ref }, headers);
  }
  await postGraphQL(system.gateway.url, '{ cases(first: 1) { totalCount } }');
  records = await system.subgraphs
    .find((s) => s.name === 'audit')!
    .database.dataSource.getRepository(AuditRecord)
    .find({ order: { sequence: 'ASC' } });
}, 120_000);

afterAll(async () => {
  await system?.stop();
  rmSync(folder, { recursive: true, force: true });
});

const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('npm run audit -- export --format jsonl', () => {
  let file: string;
  beforeAll(async () => {
    file = path.join(folder, 'trail.jsonl');
    const { code, stderr } = await audit('export', '--format', 'jsonl', '--out', file);
    expect({ code, stderr }).toEqual({
      code: 0,
      stderr: expect.stringContaining('records written'),
    });
  });

  test('one JSON object per line, each record as sealed, in chain order', () => {
    const exported = lines(readFileSync(file, 'utf8'));
    // The trail as it stood before the export's own request (which is recorded after it answers).
    expect(exported.slice(0, records.length).map((r) => r.hash)).toEqual(
      records.map((r) => r.hash),
    );
    expect(exported.map((r) => r.outcome)).toEqual(expect.arrayContaining(['PARTIAL', 'REFUSED']));
    expect(Object.keys(exported[0]).sort()).toEqual(
      [...Object.keys(records[0]), 'requestId', 'operationName']
        .filter((k, i, all) => all.indexOf(k) === i)
        .sort(),
    );
  });

  test('the auditor’s script finds the chain whole, from its start', async () => {
    const { code, stdout } = await verify(file);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^The export is whole: \d+ records, numbers 1 to \d+\./);
    expect(stdout).toContain('It starts at the beginning of the chain.');
  });

  test.each([
    ['a user id changed', (r: Record<string, unknown>) => ({ ...r, agentUserId: 'someone.else' })],
    ['an outcome softened', (r: Record<string, unknown>) => ({ ...r, outcome: 'SUCCESS' })],
    ['a subject dropped', (r: Record<string, unknown>) => ({ ...r, subjectIds: [] })],
    ['a denial removed', (r: Record<string, unknown>) => ({ ...r, denied: [] })],
    [
      'the time moved',
      (r: Record<string, unknown>) => ({ ...r, recorded: '2026-01-01T00:00:00.000Z' }),
    ],
  ])('one record altered (%s): broken at that record', async (_why, alter) => {
    const exported = lines(readFileSync(file, 'utf8'));
    // The record withheld for want of consent: it has subjects, a denial and a user.
    const index = exported.findIndex((r) => r.outcome === 'PARTIAL' || r.outcome === 'DENIED');
    exported[index] = alter(exported[index]);
    const altered = path.join(folder, 'altered.jsonl');
    writeFileSync(altered, exported.map((r) => JSON.stringify(r)).join('\n'));
    const { code, stdout } = await verify(altered);
    expect(code).toBe(1);
    expect(stdout).toContain(
      `BROKEN at record ${exported[index].id as string} (number ${exported[index].sequence as number}): its content does not match its hash (changed)`,
    );
  });

  test.each([
    [
      'removed',
      (all: unknown[]) => all.filter((_, i) => i !== 1),
      /expected record 2 next, found 3/,
    ],
    [
      'moved',
      (all: unknown[]) => [all[0], all[2], all[1], ...all.slice(3)],
      /expected record 2 next, found 3/,
    ],
  ])('a record %s: broken there', async (_why, change, problem) => {
    const exported = lines(readFileSync(file, 'utf8'));
    const altered = path.join(folder, 'reordered.jsonl');
    writeFileSync(
      altered,
      change(exported)
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const { code, stdout } = await verify(altered);
    expect(code).toBe(1);
    expect(stdout).toMatch(problem);
  });
});

describe('npm run audit -- export --format fhir', () => {
  let bundle: Bundle<AuditEvent>;
  let file: string;
  beforeAll(async () => {
    const { code, stdout, stderr } = await audit('export', '--format', 'fhir');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    file = path.join(folder, 'trail.fhir.json');
    writeFileSync(file, stdout);
    bundle = JSON.parse(stdout) as Bundle<AuditEvent>;
  });

  test('a valid FHIR R4 Bundle of AuditEvents, one per record, in chain order', () => {
    expect(fhirProblems(bundle)).toEqual([]);
    expect(bundle.type).toBe('collection');
    const ids = bundle.entry!.map((e) => e.resource!.id);
    expect(ids.slice(0, records.length)).toEqual(records.map((r) => r.id));
    expect(bundle.entry!.map((e) => e.resource!.outcome)).toEqual(
      expect.arrayContaining(['0', '4']),
    );
  });

  test('the auditor’s script finds the chain whole from the FHIR resources alone', async () => {
    const { code, stdout } = await verify(file);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^The export is whole: \d+ records, numbers 1 to \d+\./);
  });

  type Alter = (e: AuditEvent) => void;
  test.each<[string, Alter]>([
    ['the user', (e) => (e.agent[0].who!.identifier!.value = 'someone.else')],
    ['the purpose', (e) => (e.purposeOfEvent![0].coding![0].code = 'AUDIT')],
    ['the outcome', (e) => (e.outcomeDesc = 'SUCCESS')],
    ['the time', (e) => (e.recorded = '2026-01-01T00:00:00.000Z')],
    [
      'a subject',
      (e) => (e.entity!.find((x) => x.role?.code === '1')!.what!.identifier!.value = 'x'),
    ],
    ['a withheld field', (e) => e.entity!.find((x) => x.role?.code === '24')!.detail!.pop()],
  ])('one AuditEvent altered (%s): broken at that record', async (_why, alter) => {
    const altered = JSON.parse(JSON.stringify(bundle)) as Bundle<AuditEvent>;
    const entry = altered.entry!.find((e) =>
      ['PARTIAL', 'DENIED'].some((o) => e.resource!.outcomeDesc?.startsWith(o)),
    )!;
    alter(entry.resource!);
    const out = path.join(folder, 'altered.fhir.json');
    writeFileSync(out, JSON.stringify(altered));
    const { code, stdout } = await verify(out);
    expect(code).toBe(1);
    expect(stdout).toContain(`BROKEN at record ${entry.resource!.id}`);
  });
});

test('an unknown --format is refused with the usage, and nothing is written', async () => {
  const { code, stdout, stderr } = await audit('export', '--format', 'xml');
  expect(code).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toContain('--format must be csv, fhir or jsonl (got "xml")');
});

describe('the auditExport query (IG officer)', () => {
  const EXPORT = `query ($format: AuditExportFormat!, $after: String, $from: DateTimeISO) {
    auditExport(format: $format, first: 2, after: $after, from: $from) {
      format content records firstSequence lastSequence nextCursor } }`;
  const ig = () =>
    requestHeaders({ userId: 'ig.test', role: Role.IG_OFFICER }, Purpose.AUDIT, null);

  test('pages of JSON lines in chain order', async () => {
    const { body } = await postGraphQL(
      system.gateway.url,
      EXPORT,
      { format: 'JSON_LINES' },
      await ig(),
    );
    expect(body.errors).toBeUndefined();
    const page = body.data!.auditExport;
    expect(page).toMatchObject({
      format: 'JSON_LINES',
      records: 2,
      firstSequence: 1,
      lastSequence: 2,
    });
    expect(lines(page.content).map((r) => r.id)).toEqual(records.slice(0, 2).map((r) => r.id));
    const { body: next } = await postGraphQL(
      system.gateway.url,
      EXPORT,
      { format: 'FHIR_BUNDLE', after: page.nextCursor },
      await ig(),
    );
    const bundle = JSON.parse(next.data!.auditExport.content) as Bundle<AuditEvent>;
    expect(fhirProblems(bundle)).toEqual([]);
    // Records 3 and 4: the trail has grown by this test's own requests since it was read.
    expect(bundle.entry!.map((e) => e.resource!.extension![0].extension![0].valueInteger)).toEqual([
      3, 4,
    ]);
    expect(bundle.entry![0].resource!.id).toBe(records[2].id);
  });

  test('a period is a run of the chain; the script names the hash it must follow', async () => {
    const from = records[2].recorded.toISOString();
    const { body } = await postGraphQL(
      system.gateway.url,
      EXPORT,
      { format: 'JSON_LINES', from },
      await ig(),
    );
    expect(body.data!.auditExport.firstSequence).toBe(3);
    const file = path.join(folder, 'period.jsonl');
    writeFileSync(file, body.data!.auditExport.content);
    const { code, stdout } = await verify(file);
    expect(code).toBe(0);
    expect(stdout).toContain(`It follows record 2, whose hash must be ${records[1].hash}.`);

    // A period before the first record: nothing, and an empty Bundle that is still valid FHIR.
    const { body: none } = await postGraphQL(
      system.gateway.url,
      `{ auditExport(format: FHIR_BUNDLE, to: "${records[0].recorded.toISOString()}") { records content firstSequence } }`,
      undefined,
      await ig(),
    );
    expect(none.data!.auditExport).toMatchObject({ records: 0, firstSequence: null });
    const empty = JSON.parse(none.data!.auditExport.content) as Bundle;
    expect(empty.entry).toBeUndefined();
    expect(fhirProblems(empty)).toEqual([]);
  });

  test('for information governance only', async () => {
    const researcher = await requestHeaders(
      {
        userId: 'researcher.police',
        role: Role.AGENCY_RESEARCHER,
        agency: 'police',
        team: MASH_TEAMS[0],
      },
      Purpose.AGENCY_CHECK,
      null,
    );
    const { body } = await postGraphQL(
      system.gateway.url,
      EXPORT,
      { format: 'JSON_LINES' },
      researcher,
    );
    expect(body.data?.auditExport ?? null).toBeNull();
    expect(body.errors?.[0].extensions?.code).toEqual('NOT_PERMITTED');
  });
});
