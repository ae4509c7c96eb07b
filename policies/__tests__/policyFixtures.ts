import type { GraphQLResolveInfo } from 'graphql';
import type { IOptions, ShieldRule } from 'graphql-shield/typings/types';
import { ThresholdOfNeed } from '../../workflow/continuumOfNeed';
import { AccessContext, CaseFacts } from '../accessContext';
import { ConsentState, SharingGround } from '../consent';
import { PolicyDenial } from '../policyDenial';
import { Purpose, Role } from '../roles';

/** The policy tests' case: open, in team mash-east, consent given, at the child-protection threshold. */
export const openCase: CaseFacts = {
  id: 'c1',
  reference: 'MASH-2026-000001',
  externalReference: 'CSC-000001',
  externalSystem: 'social-care',
  status: 'OPEN',
  teams: ['mash-east'],
  consent: ConsentState.GIVEN,
  grounds: [],
  threshold: ThresholdOfNeed.CHILD_PROTECTION,
  decision: null,
};

/** Who asks, for what and about which case; each left out means the usual (team mash-east, AGENCY_CHECK, the open case). */
export interface Who {
  role: Role | null; // null: nobody signed in
  agency?: string | null;
  team?: string | null;
  purpose?: Purpose | null;
  declared?: string | null;
  case?: Partial<CaseFacts> | null;
}

export function accessFor(who: Who): AccessContext {
  return {
    caller:
      who.role === null
        ? null
        : {
            userId: 'u1',
            role: who.role,
            agency: who.agency ?? null,
            team: who.team === undefined ? 'mash-east' : who.team,
          },
    purpose: who.purpose === undefined ? Purpose.AGENCY_CHECK : who.purpose,
    declaredCase: who.declared === undefined ? openCase.reference : who.declared,
    case: who.case === null ? null : { ...openCase, ...who.case },
  };
}

/** Grounds for sharing without consent, as a manager records them. */
export const recordedGrounds = (...grounds: SharingGround[]) =>
  grounds.map((ground) => ({
    ground,
    authorisedBy: 'manager-1',
    authorisedAt: new Date(0),
    reason: 'why',
  }));

/** A shield rule's own entry point, as evaluatePermission calls it. */
type ShieldResolve = (
  parent: object,
  args: object,
  context: object,
  info: GraphQLResolveInfo,
  options: IOptions,
) => Promise<unknown>;

const SHIELD_OPTIONS = {
  debug: false,
  allowExternalErrors: false,
  hashFunction: JSON.stringify,
  disableFragmentsAndPostExecRules: true,
} as unknown as IOptions;

/** One rule on its own, as evaluatePermission runs it: true, or its denial. */
export async function decide(
  rule: ShieldRule,
  access: AccessContext,
  args: object = {},
): Promise<true | PolicyDenial> {
  const info = { fieldName: 'f', parentType: { name: 'T' } } as unknown as GraphQLResolveInfo;
  const result = await (rule as unknown as { resolve: ShieldResolve }).resolve(
    {},
    args,
    { access, _shield: { cache: {} } },
    info,
    SHIELD_OPTIONS,
  );
  if (result === true || result instanceof PolicyDenial) return result;
  throw new Error(`rule answered ${String(result)}`);
}
