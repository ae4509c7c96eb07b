import { MashOutcome } from '../workflow/continuumOfNeed';
import type { Caller, CaseFacts } from './accessContext';
import { Purpose, Role } from './roles';

/** The service a decided case is handed over to, and the agency whose case system runs it. */
export enum ReceivingService {
  /** Children's social care: a child and family assessment or a strategy discussion. */
  CHILDRENS_SOCIAL_CARE = 'CHILDRENS_SOCIAL_CARE',
  EARLY_HELP = 'EARLY_HELP',
  /** Adult social care: a section 42 (or non-statutory) enquiry under the Care Act 2014. */
  ADULT_SOCIAL_CARE = 'ADULT_SOCIAL_CARE',
}

/** The agency (subgraphs/agencies.ts) that runs each receiving service. */
export const RECEIVING_AGENCY: Record<ReceivingService, string> = {
  [ReceivingService.CHILDRENS_SOCIAL_CARE]: 'social-care',
  [ReceivingService.EARLY_HELP]: 'early-help',
  [ReceivingService.ADULT_SOCIAL_CARE]: 'adult-social-care',
};

/**
 * Which services may receive a case after each outcome (null: none, the MASH's part ends with the
 * family), the first being the default when the manager names none. Signposting points the family
 * to a service without handing the case over, unless the manager names early help.
 */
export const RECEIVING_SERVICES_BY_OUTCOME: Record<MashOutcome, (ReceivingService | null)[]> = {
  [MashOutcome.INFORMATION_AND_ADVICE]: [null],
  [MashOutcome.EARLY_HELP_SIGNPOSTING]: [null, ReceivingService.EARLY_HELP],
  [MashOutcome.EARLY_HELP_ASSESSMENT]: [ReceivingService.EARLY_HELP],
  [MashOutcome.CHILD_AND_FAMILY_ASSESSMENT]: [ReceivingService.CHILDRENS_SOCIAL_CARE],
  [MashOutcome.STRATEGY_DISCUSSION]: [ReceivingService.CHILDRENS_SOCIAL_CARE],
  [MashOutcome.NO_FURTHER_ACTION]: [null],
  [MashOutcome.SECTION_42_ENQUIRY]: [ReceivingService.ADULT_SOCIAL_CARE],
  [MashOutcome.NON_STATUTORY_ENQUIRY]: [ReceivingService.ADULT_SOCIAL_CARE],
};

/**
 * After the decision the MASH's part is over and the case is closed to everyone, except the
 * receiving service's own case system, which carries the case on: the purposes each role keeps,
 * and only for the receiving service's agency.
 */
export const PURPOSES_AFTER_DECISION: Partial<Record<Role, Purpose[]>> = {
  [Role.CASE_SYSTEM]: [Purpose.CASE_HISTORY],
};

/** The receiving service of an outcome: the one named, or the default; an error text if it does not fit. */
export function receivingServiceFor(
  outcome: MashOutcome,
  named: ReceivingService | null | undefined,
): { service: ReceivingService | null } | { problem: string } {
  const allowed = RECEIVING_SERVICES_BY_OUTCOME[outcome];
  if (named === undefined) return { service: allowed[0] };
  if (allowed.includes(named)) return { service: named };
  const fits = allowed.map((s) => s ?? 'none').join(' or ');
  return {
    problem: `${outcome} hands the case to ${fits}, not ${named ?? 'none'}.`,
  };
}

/**
 * Whether a decided case stays open to this caller for this purpose: the purpose survives a
 * decision for the caller's role, and the caller is the receiving service's agency. (That a case
 * system reaches only a case linked to its own reference is `assigned-to-case`, checked after.)
 */
export function survivesDecision(
  caller: Caller,
  purpose: Purpose | null,
  facts: Pick<CaseFacts, 'status' | 'receivingService'>,
): boolean {
  const service = facts.receivingService;
  return (
    facts.status === 'DECIDED' &&
    !!service &&
    purpose !== null &&
    (PURPOSES_AFTER_DECISION[caller.role] ?? []).includes(purpose) &&
    caller.agency === RECEIVING_AGENCY[service]
  );
}
