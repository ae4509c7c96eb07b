import { spawn } from 'node:child_process';
import type { DataSource } from 'typeorm';
import type { EmbeddedSystem } from '../gateway/embeddedSystem';
import { qualified, startTestSystem } from './testSystem';
import { CASE_HEADER, PURPOSE_HEADER } from '../gateway/requestAccess';
import { Purpose, Role } from '../policies/roles';
import { verifyAuditChain } from '../subgraphs/audit/data';
import { AuditRecord } from '../subgraphs/audit/entities';
import { caseReference, caseStatus, MASH_TEAMS } from '../subgraphs/mash/data';
import { CaseStatus } from '../subgraphs/mash/entities/case';
import { SyntheticFamily } from '../synthetic/population';
import { stableUuid } from '../synthetic/stableUuid';
import { postGraphQL, requestHeaders } from './graphqlClient';

let system: EmbeddedSystem;
let store: DataSource;
let consented: SyntheticFamily;
let refused: SyntheticFamily;

const CHECKS = `query Checks($ref: String!) { caseByReference(reference: $ref) { subjects { id givenName
  police { status incidents { type summary } } health { status contacts { kind summary } } } } }`;

beforeAll(async () => {
  system = await startTestSystem({ port: 0, seed: 8, families: 30, subgraphTimeoutMs: 2000 });
  store = system.subgraphs.find((s) => s.name === 'audit')!.database.dataSource;
  const open = (f: SyntheticFamily) =>
    f.referral && !f.newToArea && caseStatus(f.index) === CaseStatus.OPEN;
  consented = system.population.find((f) => open(f) && f.referral!.consent === 'GIVEN')!;
  refused = system.population.find(
    (f) => open(f) && f.referral!.consent === 'REFUSED' && f.referral!.rag !== 'RED',
  )!;
});
afterAll(() => system?.stop());

const teamOf = (f: SyntheticFamily) => MASH_TEAMS[f.index % MASH_TEAMS.length];
const as = (
  who: { role: Role; agency?: string; user: string },
  family: SyntheticFamily | null,
  purpose = Purpose.AGENCY_CHECK,
) =>
  requestHeaders(
    { userId: who.user, role: who.role, agency: who.agency, team: family ? teamOf(family) : null },
    purpose,
    family ? caseReference(family.index) : null,
  );
const ig = () => as({ role: Role.IG_OFFICER, user: 'ig.test' }, null, Purpose.AUDIT);
const records = () => store.getRepository(AuditRecord).find({ order: { sequence: 'ASC' } });

/** Sends one request and returns the one audit record it wrote. */
async function audited(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
) {
  const before = await records();
  const response = await postGraphQL(system.gateway.url, query, variables, headers);
  const after = await records();
  expect(after.length).toBe(before.length + 1);
  return { response, record: after[after.length - 1] };
}

describe('every access writes exactly one audit record', () => {
  it('granted: who, case, purpose, basis, subjects, what was shared', async () => {
    const ref = caseReference(consented.index);
    const { record } = await audited(
      CHECKS,
      { ref },
      await as({ role: Role.MASH_MANAGER, user: 'manager.audit' }, consented),
    );
    expect(record).toMatchObject({
      agentUserId: 'manager.audit',
      agentRole: 'MASH_MANAGER',
      purposeOfUse: 'AGENCY_CHECK',
      caseReference: ref,
      basis: 'CONSENT',
      operationName: 'Checks',
    });
    expect(record.subjectIds.sort()).toEqual(
      consented.members.map((m) => stableUuid('mash', 'subject', m.personKey)).sort(),
    );
    expect(record.granted).toEqual(
      expect.arrayContaining([
        'police:Subject.police',
        'police:IncidentRecord.summary',
        'health:HealthContact.kind',
      ]),
    );
    expect(record.custodians).toEqual(expect.arrayContaining(['mash', 'police', 'health']));
    // Health's clinical summaries are special category: withheld from an agency check, and recorded so.
    expect(
      record.denied
        .filter((d) => d.code === 'NEED_TO_KNOW')
        .every((d) => d.custodian === 'health' && d.path.endsWith('.summary')),
    ).toBe(true);
    expect(['SUCCESS', 'PARTIAL']).toContain(record.outcome);
  });

  it('records the subjects reached even when the client never asked for their ids', async () => {
    const ref = caseReference(consented.index);
    const { response, record } = await audited(
      'query ($ref: String!) { caseByReference(reference: $ref) { subjects { givenName } } }',
      { ref },
      await as({ role: Role.MASH_MANAGER, user: 'manager.audit' }, consented),
    );
    expect(record.subjectIds.sort()).toEqual(
      consented.members.map((m) => stableUuid('mash', 'subject', m.personKey)).sort(),
    );
    expect(JSON.stringify(response.body)).not.toContain('_auditSubjectId');
    expect(Object.keys(response.body.data.caseByReference.subjects[0])).toEqual(['givenName']);
  });

  it('partly denied: the decision not to share, with its rule, is recorded', async () => {
    const ref = caseReference(consented.index);
    const { record } = await audited(
      CHECKS,
      { ref },
      await as(
        { role: Role.AGENCY_RESEARCHER, agency: 'police', user: 'researcher.audit' },
        consented,
      ),
    );
    expect(record.outcome).toBe('PARTIAL');
    expect(record.denied).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'NEED_TO_KNOW',
          rule: 'tier-allowed-for-purpose',
          custodian: 'health',
        }),
      ]),
    );
  });

  it('withheld for want of consent: what was asked, why not, and no agency record', async () => {
    const ref = caseReference(refused.index);
    const { record } = await audited(
      CHECKS,
      { ref },
      await as({ role: Role.MASH_MANAGER, user: 'manager.audit' }, refused),
    );
    expect(record.basis).toBe('NONE');
    expect(record.granted.some((g) => g.startsWith('police:') || g.startsWith('health:'))).toBe(
      false,
    );
    expect(record.denied.map((d) => `${d.custodian}/${d.code}`)).toEqual(
      expect.arrayContaining(['police/CONSENT_REQUIRED', 'health/CONSENT_REQUIRED']),
    );
  });

  it('wholly denied: nothing shared', async () => {
    const ref = caseReference(consented.index);
    const otherTeam = MASH_TEAMS.find((t) => t !== teamOf(consented))!;
    const headers = await requestHeaders(
      { userId: 'manager.elsewhere', role: Role.MASH_MANAGER, team: otherTeam },
      Purpose.AGENCY_CHECK,
      ref,
    );
    const { record } = await audited(CHECKS, { ref }, headers);
    expect(record).toMatchObject({
      outcome: 'DENIED',
      granted: [],
      subjectIds: [],
      agentUserId: 'manager.elsewhere',
    });
    expect(record.denied[0]).toMatchObject({
      code: 'NOT_ASSIGNED',
      rule: 'assigned-to-case',
      path: 'caseByReference',
    });
  });

  it('unauthenticated: refused, and recorded', async () => {
    const { response, record } = await audited(
      CHECKS,
      { ref: 'MASH-2026-000000' },
      { [PURPOSE_HEADER]: 'AGENCY_CHECK', [CASE_HEADER]: 'MASH-2026-000000' },
    );
    expect(response.status).toBe(401);
    expect(record).toMatchObject({ outcome: 'REFUSED', agentUserId: null, granted: [] });
    expect(record.denied[0].code).toBe('UNAUTHENTICATED');
  });
});

describe('no unaudited access', () => {
  it('refuses the request and sends no data when the audit trail cannot be written', async () => {
    await store.query(
      `ALTER TABLE ${qualified(store, 'audit_record')} RENAME TO "audit_record_offline"`,
    );
    const log = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { status, body } = await postGraphQL(
        system.gateway.url,
        CHECKS,
        { ref: caseReference(consented.index) },
        await as({ role: Role.MASH_MANAGER, user: 'm' }, consented),
      );
      expect(status).toBe(503);
      expect(body).toEqual({
        errors: [
          expect.objectContaining({
            extensions: { code: 'AUDIT_UNAVAILABLE', requestId: expect.any(String) },
          }),
        ],
      });
    } finally {
      log.mockRestore();
      await store.query(
        `ALTER TABLE ${qualified(store, 'audit_record_offline')} RENAME TO "audit_record"`,
      );
    }
  });
});

// Named, not by position: the columns' order differs between a migrated and a synchronised table.
const COLUMNS = [
  'id',
  'sequence',
  'recorded',
  '"agentUserId"',
  '"agentRole"',
  '"agentAgency"',
  'client',
  '"purposeOfUse"',
  '"caseReference"',
  'basis',
  '"groundAuthorisedBy"',
  '"groundReason"',
  '"requestId"',
  '"operationName"',
  'custodians',
  '"subjectIds"',
  'granted',
  'denied',
  'outcome',
  '"latencyMs"',
  '"previousHash"',
  'hash',
];

describe('tamper evidence', () => {
  // Each tampering runs inside a transaction that is rolled back, so the chain is whole again after.
  async function tamperedChain(
    tamper: (
      run: (sql: string, params?: unknown[]) => Promise<unknown>,
      all: AuditRecord[],
    ) => Promise<string>,
  ) {
    let found: { result: Awaited<ReturnType<typeof verifyAuditChain>>; expectedId: string } | null =
      null;
    await store
      .transaction(async (manager) => {
        const all = await manager.getRepository(AuditRecord).find({ order: { sequence: 'ASC' } });
        const expectedId = await tamper((sql, params) => manager.query(sql, params), all);
        found = { result: await verifyAuditChain(manager), expectedId };
        throw new Error('roll back');
      })
      .catch((e: Error) => {
        if (e.message !== 'roll back') throw e;
      });
    return found!;
  }

  beforeAll(async () => {
    const headers = await as({ role: Role.MASH_MANAGER, user: 'manager.chain' }, consented);
    for (let i = 0; i < 6; i++)
      await postGraphQL(
        system.gateway.url,
        CHECKS,
        { ref: caseReference(consented.index) },
        headers,
      );
    expect((await verifyAuditChain(store)).valid).toBe(true);
  });

  it.each([
    [
      'a record changed',
      async (run: (s: string, p?: unknown[]) => Promise<unknown>, all: AuditRecord[]) => {
        await run(
          `UPDATE ${qualified(store, 'audit_record')} SET "agentUserId" = 'someone.else' WHERE id = $1`,
          [all[2].id],
        );
        return all[2].id;
      },
    ],
    [
      'a record deleted',
      async (run: (s: string, p?: unknown[]) => Promise<unknown>, all: AuditRecord[]) => {
        await run(`DELETE FROM ${qualified(store, 'audit_record')} WHERE id = $1`, [all[2].id]);
        return all[3].id;
      },
    ],
    [
      'a record inserted',
      async (run: (s: string, p?: unknown[]) => Promise<unknown>, all: AuditRecord[]) => {
        // Make room at 3 (in two steps: the sequence index is unique row by row).
        await run(
          `UPDATE ${qualified(store, 'audit_record')} SET sequence = -sequence WHERE sequence >= 3`,
        );
        await run(
          `UPDATE ${qualified(store, 'audit_record')} SET sequence = -sequence + 1 WHERE sequence < 0`,
        );
        await run(
          `INSERT INTO ${qualified(store, 'audit_record')} (${COLUMNS.join(', ')}) SELECT gen_random_uuid(), 3, recorded, 'forger', ${COLUMNS.slice(4).join(', ')} FROM ${qualified(store, 'audit_record')} WHERE id = $1`,
          [all[1].id],
        );
        const [inserted] = (await run(
          `SELECT id FROM ${qualified(store, 'audit_record')} WHERE sequence = 3`,
        )) as { id: string }[];
        return inserted.id;
      },
    ],
    [
      'two records swapped',
      async (run: (s: string, p?: unknown[]) => Promise<unknown>, all: AuditRecord[]) => {
        await run(`UPDATE ${qualified(store, 'audit_record')} SET sequence = -1 WHERE id = $1`, [
          all[1].id,
        ]);
        await run(`UPDATE ${qualified(store, 'audit_record')} SET sequence = 2 WHERE id = $1`, [
          all[2].id,
        ]);
        await run(`UPDATE ${qualified(store, 'audit_record')} SET sequence = 3 WHERE id = $1`, [
          all[1].id,
        ]);
        return all[2].id;
      },
    ],
  ])('detects %s and names the first broken record', async (_what, tamper) => {
    const { result, expectedId } = await tamperedChain(tamper);
    expect(result.valid).toBe(false);
    expect(result.firstBrokenRecordId).toBe(expectedId);
    expect(result.problem).toEqual(expect.any(String));
  });

  it('is whole again after each rolled-back tampering, and IG can check it through the gateway', async () => {
    const { body } = await postGraphQL(
      system.gateway.url,
      '{ verifyAuditChain { valid recordsChecked firstBrokenRecordId } }',
      undefined,
      await ig(),
    );
    expect(body.data.verifyAuditChain).toMatchObject({ valid: true, firstBrokenRecordId: null });
    expect(body.data.verifyAuditChain.recordsChecked).toBeGreaterThanOrEqual(5);
  });
});

describe('information governance and custodians query the trail', () => {
  const TRAIL = `query ($case: String, $user: String, $subject: ID, $denied: Boolean, $ground: Boolean, $after: String) {
    auditTrail(first: 2, caseReference: $case, userId: $user, subjectId: $subject, deniedOnly: $denied, withoutConsent: $ground, after: $after) {
      entries { sequence agentUserId caseReference outcome basis denied { code custodian } }
      nextCursor
    }
  }`;

  it('finds accesses by case, user, subject, denial and ground, a page at a time', async () => {
    const igHeaders = await ig();
    const byCase = await postGraphQL(
      system.gateway.url,
      TRAIL,
      { case: caseReference(refused.index) },
      igHeaders,
    );
    expect(
      byCase.body.data.auditTrail.entries.every(
        (e: { caseReference: string }) => e.caseReference === caseReference(refused.index),
      ),
    ).toBe(true);

    // Page through one user's accesses with the cursor.
    const seen: number[] = [];
    let after: string | null = null;
    do {
      const { body } = await postGraphQL(
        system.gateway.url,
        TRAIL,
        { user: 'manager.audit', after },
        igHeaders,
      );
      seen.push(...body.data.auditTrail.entries.map((e: { sequence: number }) => e.sequence));
      after = body.data.auditTrail.nextCursor;
    } while (after);
    const expected = (await records())
      .filter((r) => r.agentUserId === 'manager.audit')
      .map((r) => r.sequence);
    expect(seen).toEqual(expected);

    const subject = stableUuid('mash', 'subject', consented.members[0].personKey);
    const bySubject = await postGraphQL(system.gateway.url, TRAIL, { subject }, igHeaders);
    expect(bySubject.body.data.auditTrail.entries.length).toBeGreaterThan(0);

    const denied = await postGraphQL(system.gateway.url, TRAIL, { denied: true }, igHeaders);
    expect(
      denied.body.data.auditTrail.entries.every(
        (e: { outcome: string }) => e.outcome !== 'SUCCESS',
      ),
    ).toBe(true);
  });

  it('shows a custodian only accesses to its own records, and only its own fields', async () => {
    const police = await as(
      { role: Role.AGENCY_RESEARCHER, agency: 'police', user: 'police.ig' },
      null,
    );
    const { body } = await postGraphQL(
      system.gateway.url,
      '{ custodianAccessLog(first: 100) { entries { agentUserId caseReference purposeOfUse basis custodians granted denied { custodian code } } } }',
      undefined,
      police,
    );
    const entries = body.data.custodianAccessLog.entries;
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) {
      expect(entry.custodians).toEqual(['police']);
      expect(entry.granted.every((g: string) => g.startsWith('police:'))).toBe(true);
      expect(entry.denied.every((d: { custodian: string }) => d.custodian === 'police')).toBe(true);
    }
    // Including the refusal for want of consent: the decision not to share their records.
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ caseReference: caseReference(refused.index), basis: 'NONE' }),
      ]),
    );
  });

  it('keeps the trail from anyone else', async () => {
    const manager = await as({ role: Role.MASH_MANAGER, user: 'm' }, consented);
    const { body } = await postGraphQL(
      system.gateway.url,
      '{ auditTrail { entries { agentUserId } } }',
      undefined,
      manager,
    );
    expect(body.data.auditTrail).toBeNull();
    expect(body.errors![0].extensions).toMatchObject({ code: 'NOT_PERMITTED' });
  });
});

describe('the audit command', () => {
  const runCommand = (...args: string[]) =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [
          '-r',
          '@swc-node/register',
          'gateway/auditCommand.ts',
          ...args,
          '--url',
          system.gateway.url,
        ],
        {
          env: { ...process.env, NODE_OPTIONS: '' },
        },
      );
      let stdout = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.on('exit', (code) => resolve({ code, stdout }));
    });

  it('verifies the chain, and names the record when it is broken (exit code 1)', async () => {
    const whole = await runCommand('verify');
    expect(whole.code).toBe(0);
    expect(whole.stdout).toMatch(/^The audit chain is whole: \d+ records checked\./);

    const [victim] = await store
      .getRepository(AuditRecord)
      .find({ order: { sequence: 'ASC' }, take: 1, skip: 1 });
    await store.query(
      `UPDATE ${qualified(store, 'audit_record')} SET outcome = 'SUCCESS', "agentUserId" = 'nobody' WHERE id = $1`,
      [victim.id],
    );
    try {
      const broken = await runCommand('verify');
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`BROKEN at record ${victim.id} (number ${victim.sequence})`);
    } finally {
      await store.query(
        `UPDATE ${qualified(store, 'audit_record')} SET outcome = $2, "agentUserId" = $3 WHERE id = $1`,
        [victim.id, victim.outcome, victim.agentUserId],
      );
    }
    expect((await verifyAuditChain(store)).valid).toBe(true);
  });

  it('exports the trail as CSV, a row per record', async () => {
    const { code, stdout } = await runCommand('export');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'sequence,recorded,agentUserId,agentRole,agentAgency,purposeOfUse,caseReference,basis,groundAuthorisedBy,outcome,custodians,subjectIds,granted,denied,latencyMs,client',
    );
    // Every record up to the export's own (written after its pages were read) is there, in order.
    const sequences = lines.slice(1).map((line) => Number(line.split(',')[0]));
    expect(sequences).toEqual(sequences.map((_, i) => i + 1));
    expect(sequences.length).toBeGreaterThanOrEqual((await records()).length - 2);
  });
});
