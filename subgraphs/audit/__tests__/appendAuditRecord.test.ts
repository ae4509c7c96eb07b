import { randomUUID } from 'node:crypto';
import { AgencyDatabase, openEmbeddedAgencyDatabase } from '../../../database/agencyDataSource';
import { EmbeddedPostgres } from '../../../database/embeddedPostgres';
import { appendAuditRecord, AuditEvent, MOST_RECORDS_PER_APPEND, verifyAuditChain } from '../data';
import { AuditRecord } from '../entities';

/**
 * The gateway appends one record per request and answers only once it is committed. Under load
 * records that arrive together are committed together: each caller still gets its own record,
 * in one unbroken chain, and a record the store refuses costs no other request its audit.
 */
let embedded: EmbeddedPostgres;
let store: AgencyDatabase;

beforeAll(async () => {
  embedded = await EmbeddedPostgres.start();
  store = await openEmbeddedAgencyDatabase(embedded, 'audit', [AuditRecord]);
}, 60_000);
afterAll(async () => {
  await store?.dataSource.destroy();
  await embedded?.close();
});
beforeEach(() => store.dataSource.getRepository(AuditRecord).clear());

const event = (requestId: string = randomUUID()): AuditEvent => ({
  recorded: new Date(),
  agentUserId: 'manager.audit-test',
  agentRole: 'MASH_MANAGER',
  agentAgency: null,
  client: null,
  purposeOfUse: 'AGENCY_CHECK',
  caseReference: 'MASH-2026-000001',
  basis: 'CONSENT',
  groundAuthorisedBy: null,
  groundReason: null,
  requestId,
  operationName: 'AgencyChecks',
  custodians: ['police'],
  subjectIds: ['subject-1'],
  granted: ['police:PoliceCheck.status'],
  denied: [],
  outcome: 'GRANTED',
  latencyMs: 12,
});

it('gives each of many appends at once its own committed record, in one chain, in fewer transactions', async () => {
  const transaction = jest.spyOn(store.dataSource, 'transaction');
  const events = Array.from({ length: 250 }, () => event());
  try {
    const records = await Promise.all(events.map((e) => appendAuditRecord(store.dataSource, e)));
    expect(records.map((r) => r.requestId)).toEqual(events.map((e) => e.requestId));
    expect(records.map((r) => r.sequence).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 250 }, (_, i) => i + 1),
    );
    // Each record is in the store as its caller was told, before the caller heard.
    const stored = await store.dataSource.getRepository(AuditRecord).find();
    const byId = new Map(stored.map((r) => [r.id, r]));
    for (const r of records)
      expect(byId.get(r.id)).toMatchObject({ sequence: r.sequence, hash: r.hash });
    // The first alone, the rest as they queued behind it: at most 100 to a transaction.
    expect(transaction.mock.calls.length).toBeLessThan(250);
    expect(transaction.mock.calls.length).toBeGreaterThanOrEqual(
      1 + Math.ceil(249 / MOST_RECORDS_PER_APPEND),
    );
  } finally {
    transaction.mockRestore();
  }
  expect(await verifyAuditChain(store.dataSource)).toMatchObject({
    valid: true,
    recordsChecked: 250,
  });
});

it('refuses only the record the store refuses; the others queued with it are committed', async () => {
  const events = Array.from({ length: 20 }, () => event());
  events[7] = event('not-a-uuid'); // the store's uuid column refuses it
  const outcomes = await Promise.allSettled(
    events.map((e) => appendAuditRecord(store.dataSource, e)),
  );
  expect(outcomes.map((o) => o.status)).toEqual(
    events.map((_, i) => (i === 7 ? 'rejected' : 'fulfilled')),
  );
  expect(await verifyAuditChain(store.dataSource)).toMatchObject({
    valid: true,
    recordsChecked: 19,
  });
});

it('one after another, each append is its own transaction and follows the one before', async () => {
  const first = await appendAuditRecord(store.dataSource, event());
  const second = await appendAuditRecord(store.dataSource, event());
  expect(second).toMatchObject({ sequence: first.sequence + 1, previousHash: first.hash });
});
