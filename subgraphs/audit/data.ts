import { createHash, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditRecord, ChainVerification } from './entities';

/** What the gateway records about one request; the chain adds id, order and hashes. */
export type AuditEvent = Omit<
  AuditRecord,
  'id' | 'sequence' | 'previousHash' | 'hash' | 'requestId'
> & {
  /** Every record written now names its gateway request (older ones in the chain may not). */
  requestId: string;
};

const GENESIS = '0'.repeat(64);
// Any constant: every writer of the chain takes this lock for the length of its transaction.
const CHAIN_LOCK = 727_274;

/**
 * Appends a record to the chain and returns it once it is committed: the caller may answer the
 * request only after this resolves. Gateways appending at the same time are serialised by a
 * transaction-scoped advisory lock, so the chain stays one line.
 */
export async function appendAuditRecord(
  dataSource: DataSource,
  event: AuditEvent,
): Promise<AuditRecord> {
  return dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
    const [last] = await manager
      .getRepository(AuditRecord)
      .find({ order: { sequence: 'DESC' }, take: 1 });
    const unsealed = {
      id: randomUUID(),
      sequence: (last?.sequence ?? 0) + 1,
      ...event,
      previousHash: last?.hash ?? GENESIS,
    };
    const record = { ...unsealed, hash: hashOf(unsealed) };
    await manager.getRepository(AuditRecord).insert(record);
    return record;
  });
}

/** Walks the whole chain in order; reports the first record that was changed, removed, added or moved. */
export async function verifyAuditChain(
  store: DataSource | EntityManager,
  pageSize = 1000,
): Promise<ChainVerification> {
  const repository = store.getRepository(AuditRecord);
  let previous: { sequence: number; hash: string } = { sequence: 0, hash: GENESIS };
  let checked = 0;
  for (;;) {
    const page = await repository
      .createQueryBuilder('r')
      .where('r.sequence > :after', { after: previous.sequence })
      .orderBy('r.sequence', 'ASC')
      .take(pageSize)
      .getMany();
    for (const record of page) {
      const problem =
        record.sequence !== previous.sequence + 1
          ? `expected record ${previous.sequence + 1} next, found ${record.sequence} (a record was removed or added)`
          : record.previousHash !== previous.hash
            ? 'it does not follow the record before it (removed, inserted or reordered)'
            : record.hash !== hashOf(record)
              ? 'its content does not match its hash (changed)'
              : null;
      if (problem) {
        return {
          valid: false,
          recordsChecked: checked,
          firstBrokenRecordId: record.id,
          firstBrokenSequence: record.sequence,
          problem,
        };
      }
      previous = record;
      checked += 1;
    }
    if (page.length < pageSize)
      return {
        valid: true,
        recordsChecked: checked,
        firstBrokenRecordId: null,
        firstBrokenSequence: null,
        problem: null,
      };
  }
}

/**
 * The hash over every field but the hash itself, in a fixed order (jsonb does not keep key order).
 * Records written since the request id was kept (every new record has one) also seal the request
 * id, the ground's reason and each denial's release, count and internal mark; a record without a
 * request id was sealed before those existed and is checked as it was sealed. Clearing a new
 * record's request id to pass it off as old changes its content, so its hash no longer matches.
 */
export function hashOf(record: Omit<AuditRecord, 'hash'>): string {
  const content: unknown[] = [
    record.id,
    record.sequence,
    new Date(record.recorded).toISOString(),
    record.agentUserId,
    record.agentRole,
    record.agentAgency,
    record.client,
    record.purposeOfUse,
    record.caseReference,
    record.basis,
    record.groundAuthorisedBy,
    record.operationName,
    record.custodians,
    record.subjectIds,
    record.granted,
    record.denied.map((d) => [d.path, d.code, d.rule, d.custodian]),
    record.outcome,
    record.latencyMs,
    record.previousHash,
  ];
  if (record.requestId !== null && record.requestId !== undefined)
    content.push(
      record.requestId,
      record.groundReason ?? null,
      record.denied.map((d) => [d.release ?? null, d.count ?? null, d.internal ?? false]),
    );
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
