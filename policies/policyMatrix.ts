import { AccessContext } from './accessContext';
import { ConsentState, SHARING_BASES, SharingBasis } from './consent';
import { evaluatePermission } from './evaluatePermission';
import { MashOutcome, ThresholdOfNeed } from '../workflow/continuumOfNeed';
import { Purpose, Role } from './roles';
import { custodianOf, FIELD_TIERS, TIER_NAMES } from './tiers';

export interface PolicyCell {
  field: string;
  custodian: string | null;
  tier: string;
  role: Role;
  researcherOf: 'OWN' | 'OTHER' | null;
  purpose: Purpose;
  basis: SharingBasis;
  allowed: boolean;
  code: string | null;
  rule: string | null;
  /** What would lawfully release a denied cell, and who can do it; null when allowed. */
  release: string | null;
}

export interface MatrixFilter {
  role?: Role;
  purpose?: Purpose;
  basis?: SharingBasis;
  custodian?: string;
}

/**
 * Every agency field × role × purpose × basis, decided by running the very rules the gateway runs
 * on a request for an open case assigned to the caller's team (linked to a case system's own
 * reference) and triaged at child protection, so every purpose is earned (`purposeStage.ts` says
 * which purpose needs which stage). The rules that run are the rules that are audited.
 */
export async function policyMatrix(filter: MatrixFilter = {}): Promise<PolicyCell[]> {
  const cells: PolicyCell[] = [];
  type MatrixCaller = { role: Role; researcherOf: 'OWN' | 'OTHER' | null };
  const callers = Object.values(Role).flatMap((role): MatrixCaller[] =>
    role === Role.AGENCY_RESEARCHER
      ? [
          { role, researcherOf: 'OWN' as const },
          { role, researcherOf: 'OTHER' as const },
        ]
      : [{ role, researcherOf: null }],
  );
  for (const [typeName, { fields }] of Object.entries(FIELD_TIERS)) {
    for (const [fieldName, tier] of Object.entries(fields)) {
      const fieldCustodian = custodianOf(typeName, fieldName);
      if (filter.custodian && fieldCustodian !== filter.custodian) continue;
      for (const { role, researcherOf } of callers) {
        if (filter.role && role !== filter.role) continue;
        for (const purpose of Object.values(Purpose)) {
          if (filter.purpose && purpose !== filter.purpose) continue;
          for (const basis of SHARING_BASES) {
            if (filter.basis && basis !== filter.basis) continue;
            const access = exampleRequest(role, researcherOf, fieldCustodian, purpose, basis);
            const decision = await evaluatePermission(typeName, fieldName, {}, access);
            cells.push({
              field: `${typeName}.${fieldName}`,
              custodian: fieldCustodian,
              tier: TIER_NAMES[tier],
              role,
              researcherOf,
              purpose,
              basis,
              allowed: decision === true,
              code: decision === true ? null : decision.code,
              rule: decision === true ? null : decision.rule,
              release: decision === true ? null : decision.release,
            });
          }
        }
      }
    }
  }
  return cells;
}

/** A request with a legitimate relationship, so the matrix shows what purpose, basis and role decide. */
function exampleRequest(
  role: Role,
  researcherOf: 'OWN' | 'OTHER' | null,
  custodian: string | null,
  purpose: Purpose,
  basis: SharingBasis,
): AccessContext {
  const agency =
    role === Role.CASE_SYSTEM
      ? 'social-care'
      : researcherOf === 'OWN'
        ? custodian
        : researcherOf === 'OTHER'
          ? 'another-agency'
          : null;
  const caseReference = role === Role.CASE_SYSTEM ? 'CASE-SYSTEM-REF' : 'MASH-EXAMPLE';
  return {
    caller: { userId: 'example', role, agency, team: 'mash-team' },
    purpose,
    declaredCase: caseReference,
    case: {
      id: 'example-case',
      reference: 'MASH-EXAMPLE',
      externalReference: 'CASE-SYSTEM-REF',
      externalSystem: 'social-care',
      status: 'OPEN',
      teams: ['mash-team'],
      consent: basis === 'CONSENT' ? ConsentState.GIVEN : ConsentState.NOT_SOUGHT,
      grounds:
        basis === 'CONSENT' || basis === 'NONE'
          ? []
          : [
              {
                ground: basis,
                authorisedBy: 'example',
                authorisedAt: new Date(0),
                reason: 'example',
              },
            ],
      threshold: ThresholdOfNeed.CHILD_PROTECTION,
      decision: null as MashOutcome | null,
    },
  };
}
