import type { AuditEvent, AuditEventEntity, Bundle } from '@medplum/fhirtypes';
import { toFhirAuditEvent, toFhirBundle, toJsonLine } from '../auditExport';
import { hashOf } from '../data';
import type { AuditRecord } from '../entities';
import { fhirProblems } from './fhirValidation';

/** A record as the chain seals it (synthetic ids only). */
function sealed(fields: Partial<AuditRecord>, previous?: AuditRecord): AuditRecord {
  const unsealed: Omit<AuditRecord, 'hash'> = {
    id: crypto.randomUUID(),
    sequence: (previous?.sequence ?? 0) + 1,
    recorded: new Date('2026-11-20T10:15:30.123Z'),
    agentUserId: null,
    agentRole: null,
    agentAgency: null,
    client: null,
    purposeOfUse: null,
    caseReference: null,
    basis: 'NONE',
    groundAuthorisedBy: null,
    groundReason: null,
    requestId: crypto.randomUUID(),
    operationName: null,
    custodians: [],
    subjectIds: [],
    granted: [],
    denied: [],
    outcome: 'REFUSED',
    latencyMs: 3,
    previousHash: previous?.hash ?? '0'.repeat(64),
    ...fields,
  };
  return { ...unsealed, hash: hashOf(unsealed) };
}

const SUBJECTS = [crypto.randomUUID(), crypto.randomUUID()];
const partial = sealed({
  agentUserId: 'researcher.police',
  agentRole: 'AGENCY_RESEARCHER',
  agentAgency: 'police',
  client: 'case-system',
  purposeOfUse: 'AGENCY_CHECK',
  caseReference: 'MASH-2026-000003',
  basis: 'SIGNIFICANT_HARM',
  groundAuthorisedBy: 'manager.mash-east',
  groundReason: 'Injury disclosed; asking the parents would put the child at risk.',
  operationName: 'ChildPicture',
  custodians: ['health', 'police'],
  subjectIds: SUBJECTS,
  granted: ['police:PoliceCheck.status', 'health:HealthCheck.status'],
  denied: [
    {
      path: 'caseByReference.subjects.*.health.records.*.detail',
      code: 'WITHHELD',
      rule: 'tierAllowedForPurpose',
      custodian: 'health',
      release: 'A health custodian releases it.',
      count: 3,
      internal: false,
    },
  ],
  outcome: 'PARTIAL',
});
const anonymous = sealed({ outcome: 'REFUSED', requestId: crypto.randomUUID() }, partial);

const byRole = (event: AuditEvent, code: string): AuditEventEntity[] =>
  (event.entity ?? []).filter((e) => e.role?.code === code);

describe('a trail record as a FHIR R4 AuditEvent', () => {
  const event = toFhirAuditEvent(partial);

  test('is valid R4 (Medplum validator, R4 terminology)', () => {
    expect(fhirProblems(event)).toEqual([]);
    expect(fhirProblems(toFhirAuditEvent(anonymous))).toEqual([]);
  });

  test('who: the user, their role and agency; the client; who authorised the ground', () => {
    expect(event.agent).toEqual([
      {
        type: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
              code: 'IRCP',
              display: 'information recipient',
            },
          ],
        },
        who: { identifier: { system: 'urn:mash-gateway:user', value: 'researcher.police' } },
        role: [
          { coding: [{ system: 'urn:mash-gateway:role', code: 'AGENCY_RESEARCHER' }] },
          { coding: [{ system: 'urn:mash-gateway:agency', code: 'police' }] },
        ],
        requestor: true,
      },
      expect.objectContaining({
        who: { identifier: { system: 'urn:mash-gateway:client', value: 'case-system' } },
        requestor: false,
      }),
      expect.objectContaining({
        type: expect.objectContaining({
          coding: [expect.objectContaining({ code: 'RESP' })],
        }),
        who: { identifier: { system: 'urn:mash-gateway:user', value: 'manager.mash-east' } },
        requestor: false,
      }),
    ]);
  });

  test('what: the case, each subject, each custodian, and the fields granted and withheld with the rule', () => {
    expect(byRole(event, '3').map((e) => e.what?.identifier?.value)).toEqual(['MASH-2026-000003']);
    expect(byRole(event, '1').map((e) => e.what?.identifier?.value)).toEqual(SUBJECTS);
    expect(byRole(event, '17').map((e) => e.what?.identifier?.value)).toEqual(['health', 'police']);
    const [request] = byRole(event, '24');
    expect(request.what?.identifier?.value).toBe(partial.requestId);
    expect(request.name).toBe('ChildPicture');
    expect(request.detail?.filter((d) => d.type === 'granted').map((d) => d.valueString)).toEqual(
      partial.granted,
    );
    const denied = request.detail!.filter((d) => d.type === 'denied');
    expect(denied.map((d) => JSON.parse(d.valueString!))).toEqual(partial.denied);
  });

  test('why: the purpose and the lawful basis, with the reason the ground applies', () => {
    expect(event.purposeOfEvent).toEqual([
      { coding: [{ system: 'urn:mash-gateway:purpose', code: 'AGENCY_CHECK' }] },
      {
        coding: [{ system: 'urn:mash-gateway:sharing-basis', code: 'SIGNIFICANT_HARM' }],
        text: partial.groundReason,
      },
    ]);
  });

  test('when, where from, and its place in the chain', () => {
    expect(event.recorded).toBe('2026-11-20T10:15:30.123Z');
    expect(event.source.observer).toEqual({ display: 'mash-gateway' });
    expect(event.extension).toEqual([
      {
        url: 'urn:mash-gateway:audit-chain',
        extension: [
          { url: 'sequence', valueInteger: 1 },
          { url: 'previousHash', valueString: '0'.repeat(64) },
          { url: 'hash', valueString: partial.hash },
          { url: 'latencyMs', valueInteger: 3 },
        ],
      },
    ]);
  });

  test.each([
    ['SUCCESS', '0', 'SUCCESS'],
    ['PARTIAL', '0', 'PARTIAL: 3 field(s) withheld'],
    ['DENIED', '4', 'DENIED: 3 field(s) withheld'],
    ['REFUSED', '4', 'REFUSED: 3 field(s) withheld'],
    ['ERROR', '8', 'ERROR: 3 field(s) withheld'],
  ])('outcome %s is FHIR outcome %s', (outcome, code, description) => {
    const mapped = toFhirAuditEvent({
      ...partial,
      outcome,
      denied: outcome === 'SUCCESS' ? [] : partial.denied,
    });
    expect(mapped.outcome).toBe(code);
    expect(mapped.outcomeDesc).toBe(description);
  });

  test('a caller without a valid token is an agent without an identity; no empty lists', () => {
    const refused = toFhirAuditEvent(anonymous);
    expect(refused.agent).toEqual([{ type: expect.anything(), requestor: true }]);
    expect(refused.outcome).toBe('4');
    expect(byRole(refused, '24')[0].detail).toBeUndefined();
  });
});

describe('the Bundle', () => {
  test('a collection of the events in chain order, valid R4, and valid when empty', () => {
    const bundle = toFhirBundle([partial, anonymous], new Date('2026-11-21T00:00:00Z'));
    expect(fhirProblems(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    expect(bundle.entry!.map((e) => e.fullUrl)).toEqual([
      `urn:uuid:${partial.id}`,
      `urn:uuid:${anonymous.id}`,
    ]);
    const empty = toFhirBundle([]);
    expect(empty.entry).toBeUndefined();
    expect(fhirProblems(empty)).toEqual([]);
  });

  test('the validator does fail: a bad code, a bad instant, a missing requestor, a broken entry', () => {
    const event = toFhirAuditEvent(partial);
    const bad = (resource: unknown) => fhirProblems(resource as AuditEvent);
    expect(bad({ ...event, outcome: '5' })).toEqual([expect.stringContaining('outcome')]);
    expect(bad({ ...event, action: 'X' })).toEqual([expect.stringContaining('action')]);
    expect(bad({ ...event, recorded: '20 November 2026' })).not.toEqual([]);
    expect(bad({ ...event, purposeOfEvent: [] })).toEqual([expect.stringContaining('empty array')]);
    expect(bad({ ...event, outcomeDesc: null })).not.toEqual([]);
    expect(bad({ ...event, agent: [{ who: event.agent[0].who }] })).not.toEqual([]);
    expect(
      bad({
        ...event,
        entity: [{ ...event.entity![0], role: { ...event.entity![0].role, code: '99' } }],
      }),
    ).toEqual([expect.stringContaining('99 is not a code')]);
    const bundle = toFhirBundle([partial]) as Bundle;
    expect(
      fhirProblems({
        ...bundle,
        entry: [{ ...bundle.entry![0], resource: { ...event, recorded: 'yesterday' } }],
      }),
    ).not.toEqual([]);
  });
});

describe('JSON lines for a SIEM', () => {
  test('one line, the record as sealed: the trail’s own fields and nothing else', () => {
    const line = toJsonLine(partial);
    expect(line).not.toContain('\n');
    const parsed = JSON.parse(line);
    expect(parsed).toEqual({ ...partial, recorded: '2026-11-20T10:15:30.123Z' });
    expect(hashOf({ ...parsed })).toBe(partial.hash);
  });
});
