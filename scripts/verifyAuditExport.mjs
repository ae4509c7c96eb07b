#!/usr/bin/env node
/* global process, console */
/**
 * Checks an export of the MASH gateway's audit trail outside the system: an auditor needs this
 * file and Node.js (18 or later), nothing else — no database, no gateway, no packages.
 *
 *   node verifyAuditExport.mjs trail.jsonl        (npm run audit -- export --format jsonl)
 *   node verifyAuditExport.mjs trail.fhir.json    (npm run audit -- export --format fhir)
 *
 * The procedure, which anyone may reimplement:
 * 1. Read the records in sequence order (a FHIR AuditEvent is read back into the record's fields:
 *    see `fromAuditEvent`).
 * 2. Each record's hash is the SHA-256 (hex) of the JSON text of this array, in this order:
 *    [id, sequence, recorded (ISO 8601 with milliseconds, UTC), agentUserId, agentRole,
 *     agentAgency, client, purposeOfUse, caseReference, basis, groundAuthorisedBy, operationName,
 *     custodians, subjectIds, granted, denied as [[path, code, rule, custodian], …], outcome,
 *     latencyMs, previousHash]
 *    and, when the record has a requestId, then also
 *    [requestId, groundReason, denied as [[release, count, internal], …]] appended to it
 *    (absent values as null, internal as false). JSON text as JavaScript's JSON.stringify writes it.
 * 3. Each record's sequence is the one before's plus one, and its previousHash is the one
 *    before's hash; the chain's first record (sequence 1) follows 64 zeros.
 * An export of a period starts after a record it does not hold: its first previousHash is
 * printed, to be compared with that record's hash in an earlier export (or the live chain).
 * Exit code 0 when the export is whole; 1, naming the first record that fails, when it is not.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const GENESIS = '0'.repeat(64);
const MASH = 'urn:mash-gateway:';

export function hashOf(r) {
  const content = [
    r.id,
    r.sequence,
    new Date(r.recorded).toISOString(),
    r.agentUserId,
    r.agentRole,
    r.agentAgency,
    r.client,
    r.purposeOfUse,
    r.caseReference,
    r.basis,
    r.groundAuthorisedBy,
    r.operationName,
    r.custodians,
    r.subjectIds,
    r.granted,
    r.denied.map((d) => [d.path, d.code, d.rule, d.custodian]),
    r.outcome,
    r.latencyMs,
    r.previousHash,
  ];
  if (r.requestId !== null && r.requestId !== undefined)
    content.push(
      r.requestId,
      r.groundReason ?? null,
      r.denied.map((d) => [d.release ?? null, d.count ?? null, d.internal ?? false]),
    );
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}

/** A FHIR R4 AuditEvent of the export, read back into the fields the chain sealed. */
export function fromAuditEvent(event) {
  const chain = Object.fromEntries(
    (event.extension ?? [])
      .find((e) => e.url === `${MASH}audit-chain`)
      ?.extension.map((e) => [e.url, e.valueInteger ?? e.valueString]) ?? [],
  );
  const id = (who, system) =>
    who?.identifier?.system === `${MASH}${system}` ? who.identifier.value : null;
  const typed = (code) =>
    (event.agent ?? []).find((a) => a.type?.coding?.some((c) => c.code === code));
  const user = (event.agent ?? []).find((a) => a.requestor);
  const roleCode = (system) =>
    user?.role?.flatMap((r) => r.coding ?? []).find((c) => c.system === `${MASH}${system}`)?.code ??
    null;
  const purpose = (system) =>
    (event.purposeOfEvent ?? []).find((p) =>
      p.coding?.some((c) => c.system === `${MASH}${system}`),
    );
  const entities = (system) =>
    (event.entity ?? []).filter((e) => e.what?.identifier?.system === `${MASH}${system}`);
  const request = (event.entity ?? []).find((e) => e.role?.code === '24');
  const details = (type) => (request?.detail ?? []).filter((d) => d.type === type);
  return {
    id: event.id,
    sequence: chain.sequence,
    recorded: event.recorded,
    agentUserId: id(user?.who, 'user'),
    agentRole: roleCode('role'),
    agentAgency: roleCode('agency'),
    client: id(typed('110150')?.who, 'client'),
    purposeOfUse: purpose('purpose')?.coding[0].code ?? null,
    caseReference: entities('case')[0]?.what.identifier.value ?? null,
    basis: purpose('sharing-basis')?.coding[0].code,
    groundAuthorisedBy: id(typed('RESP')?.who, 'user'),
    groundReason: purpose('sharing-basis')?.text ?? null,
    requestId: id(request?.what, 'request'),
    operationName: request?.name ?? null,
    custodians: entities('agency').map((e) => e.what.identifier.value),
    subjectIds: entities('subject').map((e) => e.what.identifier.value),
    granted: details('granted').map((d) => d.valueString),
    denied: details('denied').map((d) => JSON.parse(d.valueString)),
    outcome: String(event.outcomeDesc ?? '').split(':')[0],
    latencyMs: chain.latencyMs,
    previousHash: chain.previousHash,
    hash: chain.hash,
  };
}

/** The records of an export file: a FHIR Bundle of AuditEvents, or JSON lines. */
export function readExport(text) {
  let whole = null;
  try {
    whole = JSON.parse(text);
  } catch {
    // Not one JSON document: JSON lines.
  }
  if (whole?.resourceType === 'Bundle')
    return (whole.entry ?? []).map((e) => fromAuditEvent(e.resource));
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line);
      } catch {
        throw new Error(`line ${i + 1} is not JSON`);
      }
    });
}

/** The first record that fails the procedure, or null when the export is whole. */
export function verifyRecords(records) {
  let previous = null;
  for (const record of records) {
    const problem =
      previous && record.sequence !== previous.sequence + 1
        ? `expected record ${previous.sequence + 1} next, found ${record.sequence} (a record was removed, added or moved)`
        : previous && record.previousHash !== previous.hash
          ? 'it does not follow the record before it (removed, inserted or reordered)'
          : !previous && record.sequence === 1 && record.previousHash !== GENESIS
            ? 'the first record of the chain does not start from 64 zeros'
            : hashOf(record) !== record.hash
              ? 'its content does not match its hash (changed)'
              : null;
    if (problem) return { record, problem };
    previous = record;
  }
  return null;
}

function main(file) {
  if (!file) {
    console.error('Usage: node verifyAuditExport.mjs EXPORT   (a FHIR Bundle or JSON lines)');
    return 1;
  }
  // Under `npm run`, relative to where the command was typed (npm runs scripts in the package).
  const records = readExport(readFileSync(path.resolve(process.env.INIT_CWD ?? '.', file), 'utf8'));
  const broken = verifyRecords(records);
  if (broken) {
    console.log(
      `The export is BROKEN at record ${broken.record.id} (number ${broken.record.sequence}): ${broken.problem}.`,
    );
    return 1;
  }
  if (records.length === 0) {
    console.log('The export holds no records.');
    return 0;
  }
  const [first, last] = [records[0], records[records.length - 1]];
  console.log(
    `The export is whole: ${records.length} records, numbers ${first.sequence} to ${last.sequence}.`,
  );
  console.log(
    first.sequence === 1
      ? 'It starts at the beginning of the chain.'
      : `It follows record ${first.sequence - 1}, whose hash must be ${first.previousHash}.`,
  );
  console.log(`Its last record's hash is ${last.hash}.`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.exitCode = main(process.argv[2]);
  } catch (error) {
    console.error(`Cannot read the export: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  }
}
