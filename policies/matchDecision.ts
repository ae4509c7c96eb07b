import { rule } from 'graphql-shield';
import type { Caller } from './accessContext';
import { PolicyDenial } from './policyDenial';
import { Role } from './roles';
import type { PolicyContext } from './rules';

/**
 * Who may confirm or reject a possible match of a case's subject to an agency record, and who may
 * correct a subject's demographics after intake. An agency's researcher knows their own agency's
 * records (and can look at them); they decide for their own agency only. The MASH manager may
 * decide for any agency. Both only on a case assigned to their team (the gateway's relationship
 * rules), and only for a subject of that case (checked by the hub, which holds the household).
 */
export const MATCH_DECISION_POLICY = {
  rule: 'may-decide-identity-match',
  deciders: {
    [Role.AGENCY_RESEARCHER]: 'OWN_AGENCY',
    [Role.MASH_MANAGER]: 'ANY_AGENCY',
  } as Partial<Record<Role, 'OWN_AGENCY' | 'ANY_AGENCY'>>,
  /** Correcting the demographics every agency matches on is the MASH's own record: its manager. */
  correctors: [Role.MASH_MANAGER] as Role[],
  /** The mutations, each naming the decision, so the audit record's granted fields say which one. */
  mutations: { CONFIRMED: 'confirmIdentityMatch', REJECTED: 'rejectIdentityMatch' },
  correction: 'correctSubjectDemographics',
} as const;

/**
 * What the audit records of these mutations beyond the gateway's usual record: the subject acted
 * on and the agency whose record was decided (custodian), read from the arguments as execution
 * resolves them. Never the corrected values: the correction's audit says which fields changed.
 */
export const AUDITED_MUTATION_ARGUMENTS: Record<string, { subject: string; custodian?: string }> = {
  [MATCH_DECISION_POLICY.mutations.CONFIRMED]: { subject: 'subjectId', custodian: 'agency' },
  [MATCH_DECISION_POLICY.mutations.REJECTED]: { subject: 'subjectId', custodian: 'agency' },
  [MATCH_DECISION_POLICY.correction]: { subject: 'subjectId' },
};

/** Whether this caller may decide on a possible match to the named agency's record. */
export function mayDecideMatch(caller: Caller | null, agency: string): boolean {
  if (!caller) return false;
  const scope = MATCH_DECISION_POLICY.deciders[caller.role];
  if (scope === 'ANY_AGENCY') return true;
  return scope === 'OWN_AGENCY' && caller.agency !== null && caller.agency === agency;
}

export function matchDecisionDenial(caller: Caller | null, agency: string): PolicyDenial {
  return new PolicyDenial(
    'NOT_PERMITTED',
    MATCH_DECISION_POLICY.rule,
    caller?.role === Role.AGENCY_RESEARCHER
      ? `Only ${agency}'s own researcher or the MASH manager may decide on a possible match to ${agency}'s record.`
      : "Only the agency's own researcher or the MASH manager may decide on a possible match.",
    `${agency}'s own MASH researcher, or the MASH manager, confirms or rejects it`,
  );
}

/** The shield rule: the decision's agency (`agency` argument) is one the caller may decide for. */
export const mayDecideForAgency = rule(MATCH_DECISION_POLICY.rule)((
  _parent,
  args: { agency?: unknown },
  { access }: PolicyContext,
) => {
  const agency = typeof args.agency === 'string' ? args.agency : '';
  return mayDecideMatch(access.caller, agency) ? true : matchDecisionDenial(access.caller, agency);
});
