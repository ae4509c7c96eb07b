import type {
  AuditEvent,
  AuditEventAgent,
  AuditEventEntity,
  Bundle,
  CodeableConcept,
  Coding,
} from '@medplum/fhirtypes';
import type { AuditRecord, DeniedField } from './entities';

/**
 * The audit trail in the formats information governance's tools read: FHIR R4 AuditEvent
 * resources in a Bundle, and JSON lines for a SIEM. Both carry each record's place in the hash
 * chain (sequence, previous hash, hash) and every field the hash seals, so the chain can be
 * checked outside the system (`scripts/verifyAuditExport.mjs`). Nothing is added that the trail
 * does not hold: ids, roles, references and rule names, never a name or a record's contents.
 */

/** The hub's own code systems and identifier namespaces. */
export const MASH_SYSTEMS = {
  user: 'urn:mash-gateway:user',
  role: 'urn:mash-gateway:role',
  agency: 'urn:mash-gateway:agency',
  client: 'urn:mash-gateway:client',
  purpose: 'urn:mash-gateway:purpose',
  /** CONSENT, a recorded ground (e.g. SIGNIFICANT_HARM), or NONE. */
  basis: 'urn:mash-gateway:sharing-basis',
  case: 'urn:mash-gateway:case',
  subject: 'urn:mash-gateway:subject',
  request: 'urn:mash-gateway:request',
  operation: 'urn:mash-gateway:graphql-operation',
  /** The extension that places an event in the hash chain. */
  chain: 'urn:mash-gateway:audit-chain',
} as const;

const HL7 = 'http://terminology.hl7.org/CodeSystem';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';

/**
 * The trail's outcome as an AuditEvent.outcome (http://hl7.org/fhir/audit-event-outcome): a
 * request answered, even with fields withheld by policy, succeeded ("with warnings or not"); a
 * request refused as a whole is a minor failure (as an HTTP 4xx); the system failing, serious.
 * `outcomeDesc` keeps the trail's own word, and each withheld field is listed with its rule.
 */
export const FHIR_OUTCOME: Record<string, '0' | '4' | '8' | '12'> = {
  SUCCESS: '0',
  PARTIAL: '0',
  DENIED: '4',
  REFUSED: '4',
  ERROR: '8',
};

const coding = (system: string, code: string, display?: string): Coding =>
  display ? { system, code, display } : { system, code };
const concept = (system: string, code: string, display?: string): CodeableConcept => ({
  coding: [coding(system, code, display)],
});

export function toFhirAuditEvent(record: AuditRecord): AuditEvent {
  const agent: AuditEventAgent[] = [
    {
      // The person (or service account) who made the request; none when no valid token came.
      type: concept(`${HL7}/v3-ParticipationType`, 'IRCP', 'information recipient'),
      ...(record.agentUserId
        ? { who: { identifier: { system: MASH_SYSTEMS.user, value: record.agentUserId } } }
        : {}),
      ...nonEmpty('role', [
        ...(record.agentRole ? [concept(MASH_SYSTEMS.role, record.agentRole)] : []),
        ...(record.agentAgency ? [concept(MASH_SYSTEMS.agency, record.agentAgency)] : []),
      ]),
      requestor: true,
    },
  ];
  if (record.client)
    agent.push({
      type: concept(DCM, '110150', 'Application'),
      who: { identifier: { system: MASH_SYSTEMS.client, value: record.client } },
      requestor: false,
    });
  if (record.groundAuthorisedBy)
    agent.push({
      // The manager who authorised sharing without consent under the recorded ground.
      type: concept(`${HL7}/v3-ParticipationType`, 'RESP', 'responsible party'),
      who: { identifier: { system: MASH_SYSTEMS.user, value: record.groundAuthorisedBy } },
      requestor: false,
    });

  const entity: AuditEventEntity[] = [];
  if (record.caseReference)
    entity.push({
      what: { identifier: { system: MASH_SYSTEMS.case, value: record.caseReference } },
      type: coding(`${HL7}/audit-entity-type`, '2', 'System Object'),
      role: coding(`${HL7}/object-role`, '3', 'Report'),
    });
  for (const subjectId of record.subjectIds)
    entity.push({
      what: { identifier: { system: MASH_SYSTEMS.subject, value: subjectId } },
      type: coding(`${HL7}/audit-entity-type`, '1', 'Person'),
      role: coding(`${HL7}/object-role`, '1', 'Patient'),
    });
  for (const custodian of record.custodians)
    entity.push({
      what: { identifier: { system: MASH_SYSTEMS.agency, value: custodian } },
      type: coding(`${HL7}/audit-entity-type`, '3', 'Organization'),
      role: coding(`${HL7}/object-role`, '17', 'Data Repository'),
    });
  // The request itself: what was granted, and what was withheld with the rule that withheld it.
  entity.push({
    ...(record.requestId
      ? { what: { identifier: { system: MASH_SYSTEMS.request, value: record.requestId } } }
      : {}),
    type: coding(`${HL7}/audit-entity-type`, '2', 'System Object'),
    role: coding(`${HL7}/object-role`, '24', 'Query'),
    ...(record.operationName ? { name: record.operationName } : {}),
    ...nonEmpty('detail', [
      ...record.granted.map((field) => ({ type: 'granted', valueString: field })),
      ...record.denied.map((d) => ({
        type: 'denied',
        valueString: JSON.stringify(deniedEntry(d)),
      })),
    ]),
  });

  const withheld = record.denied.reduce((n, d) => n + (d.count ?? 1), 0);
  return {
    resourceType: 'AuditEvent',
    id: record.id,
    extension: [
      {
        url: MASH_SYSTEMS.chain,
        extension: [
          { url: 'sequence', valueInteger: record.sequence },
          { url: 'previousHash', valueString: record.previousHash },
          { url: 'hash', valueString: record.hash },
          { url: 'latencyMs', valueInteger: record.latencyMs },
        ],
      },
    ],
    type: coding(`${HL7}/audit-event-type`, 'rest', 'RESTful Operation'),
    ...(record.operationName
      ? { subtype: [coding(MASH_SYSTEMS.operation, record.operationName)] }
      : {}),
    // Execute: a GraphQL request, a query or a workflow step (http://hl7.org/fhir/audit-event-action).
    action: 'E',
    recorded: new Date(record.recorded).toISOString(),
    outcome: FHIR_OUTCOME[record.outcome] ?? '8',
    outcomeDesc: withheld > 0 ? `${record.outcome}: ${withheld} field(s) withheld` : record.outcome,
    purposeOfEvent: [
      ...(record.purposeOfUse ? [concept(MASH_SYSTEMS.purpose, record.purposeOfUse)] : []),
      // The lawful basis it shared under, and why the recorded ground applies.
      {
        ...concept(MASH_SYSTEMS.basis, record.basis),
        ...(record.groundReason ? { text: record.groundReason } : {}),
      },
    ],
    agent,
    source: {
      site: 'mash-gateway',
      observer: { display: 'mash-gateway' },
      type: [coding(`${HL7}/security-source-type`, '4', 'Application Server')],
    },
    entity,
  };
}

/** The trail (or a period of it, in chain order) as one FHIR R4 Bundle of AuditEvents. */
export function toFhirBundle(records: AuditRecord[], generated = new Date()): Bundle<AuditEvent> {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: generated.toISOString(),
    ...nonEmpty(
      'entry',
      records.map((record) => ({
        fullUrl: `urn:uuid:${record.id}`,
        resource: toFhirAuditEvent(record),
      })),
    ),
  };
}

/** FHIR JSON has no empty arrays: an empty list is left out. */
function nonEmpty<K extends string, T>(key: K, list: T[]): { [k in K]?: T[] } {
  return (list.length > 0 ? { [key]: list } : {}) as { [k in K]?: T[] };
}

/**
 * One record as one line of JSON, for a SIEM: the record as the chain sealed it, flat, with its
 * sequence, previous hash and hash; `recorded` an ISO 8601 instant.
 */
export function toJsonLine(record: AuditRecord): string {
  return JSON.stringify({
    id: record.id,
    sequence: record.sequence,
    recorded: new Date(record.recorded).toISOString(),
    agentUserId: record.agentUserId,
    agentRole: record.agentRole,
    agentAgency: record.agentAgency,
    client: record.client,
    purposeOfUse: record.purposeOfUse,
    caseReference: record.caseReference,
    basis: record.basis,
    groundAuthorisedBy: record.groundAuthorisedBy,
    groundReason: record.groundReason,
    requestId: record.requestId,
    operationName: record.operationName,
    custodians: record.custodians,
    subjectIds: record.subjectIds,
    granted: record.granted,
    denied: record.denied.map(deniedEntry),
    outcome: record.outcome,
    latencyMs: record.latencyMs,
    previousHash: record.previousHash,
    hash: record.hash,
  });
}

/** A withheld field with its keys in one order, the optional ones only when recorded. */
function deniedEntry(d: DeniedField): DeniedField {
  return {
    path: d.path,
    code: d.code,
    rule: d.rule,
    custodian: d.custodian,
    ...(d.release !== undefined ? { release: d.release } : {}),
    ...(d.count !== undefined ? { count: d.count } : {}),
    ...(d.internal !== undefined ? { internal: d.internal } : {}),
  };
}
