import { MAX_TIER, SHARING_BASES, SharingBasis } from './consent';
import { PURPOSES_AFTER_DECISION, RECEIVING_AGENCY, ReceivingService } from './handOver';
import { ROLE_TIER_CAP, roleTierCap } from './needToKnow';
import { stageNeededFor } from './purposeStage';
import { describeRole, Purpose, PURPOSES_BY_ROLE, Role } from './roles';
import { Tier, TIER_NAMES } from './tier';

/**
 * What would lawfully release a denial, and who can do it, in plain words: the next step of the
 * MASH process rather than a dead end. Each is derived from the same policy tables the rules
 * read (MAX_TIER, ROLE_TIER_CAP, PURPOSES_BY_ROLE, PURPOSE_NEEDS_STAGE), so the advice cannot
 * drift from the decision. "nothing: …" says no step would release it for this caller.
 */

export const RECORD_CONSENT_OR_GROUND =
  "Record the family's consent, or one of the four grounds for sharing without it (the MASH manager: recordConsent / recordSharingGround)";

export const SIGN_IN =
  'Sign in: send a bearer token from your identity provider (Authorization: Bearer …).';

/** The roles as a sentence lists them: "a MASH manager or a case system". */
function roleList(roles: Role[]): string {
  return roles.map(describeRole).join(' or ');
}

function reaches(max: Tier | null, tier: Tier): boolean {
  return max !== null && tier <= max;
}

/** WRONG_PURPOSE: the purposes the role may state, or nothing for a role with none. */
export function purposeRelease(role: Role): string {
  const purposes = PURPOSES_BY_ROLE[role];
  if (purposes.length === 0) return `nothing: ${describeRole(role)} may act for no purpose`;
  return `State one of your role's purposes (x-mash-purpose: ${purposes.join(', ')})`;
}

/** PURPOSE_NOT_JUSTIFIED: the stage the purpose needs, and what may be asked meanwhile. */
export function purposeStageRelease(role: Role, purpose: Purpose): string {
  const meanwhile = PURPOSES_BY_ROLE[role].filter((p) => stageNeededFor(p) === null);
  return (
    `${purpose} once ${stageNeededFor(purpose) ?? 'the case allows it'}` +
    (meanwhile.length ? `; until then ask for ${meanwhile.join(' or ')}` : '')
  );
}

/** NOT_ASSIGNED by assigned-to-case: who gives the caller a relationship with the case. */
export function assignmentRelease(role: Role): string {
  if (role === Role.CASE_SYSTEM)
    return "The hub links the case to your own system's reference (a MASH manager), and you name it by that reference (x-mash-case)";
  return 'The case is allocated to your team by a MASH manager';
}

/**
 * CASE_CLOSED: the MASH's part is over; a case handed over stays open to the receiving service's
 * case system alone, for the purposes that survive a decision (PURPOSES_AFTER_DECISION).
 */
export function closedCaseRelease(receivingService: ReceivingService | null): string {
  const over = "nothing: the MASH's part in this case is over (a new referral opens a new case)";
  if (receivingService === null) return over;
  const keep = (Object.entries(PURPOSES_AFTER_DECISION) as [Role, Purpose[]][])
    .map(
      ([role, purposes]) =>
        `${describeRole(role)} of ${RECEIVING_AGENCY[receivingService]} (the receiving service, ${receivingService}) for ${purposes.join(', ')}, by its own reference for the case`,
    )
    .join('; or ');
  return `${over}; it stays open only to ${keep}`;
}

/**
 * When no step would ever release a tier of a custodian's records to this caller: their role's
 * cap for that custodian is below it, or no purpose of their role reaches it under any basis.
 */
function neverReleased(
  role: Role,
  agency: string | null,
  tier: Tier,
  custodian: string | null,
): string | null {
  if (!reaches(roleTierCap(role, agency, custodian), tier))
    return needToKnowRelease(role, tier, custodian);
  const purposes = PURPOSES_BY_ROLE[role];
  if (!purposes.some((p) => SHARING_BASES.some((b) => reaches(MAX_TIER[p][b], tier))))
    return `nothing: ${describeRole(role)} may never see ${TIER_NAMES[tier]} information, for ${purposes.join(' or ') || 'any purpose'}`;
  return null;
}

/** CONSENT_REQUIRED: the manager records consent or a ground, unless nothing would ever release it. */
export function consentRelease(
  role: Role,
  agency: string | null,
  tier: Tier,
  custodian: string | null,
): string {
  return neverReleased(role, agency, tier, custodian) ?? RECORD_CONSENT_OR_GROUND;
}

/** "the family's consent or a recorded ground of SERIOUS_CRIME or UNJUSTIFIED_DELAY" */
function describeBases(bases: SharingBasis[]): string {
  const grounds = bases.filter((b) => b !== 'CONSENT' && b !== 'NONE');
  const parts = [
    ...(bases.includes('CONSENT') ? ["the family's consent"] : []),
    ...(grounds.length ? [`a recorded ground of ${grounds.join(', ')}`] : []),
  ];
  return parts.join(' or ');
}

/**
 * NEED_TO_KNOW by tier-allowed-for-purpose: the fewest steps that would allow the tier (another of
 * the role's purposes, once the case reaches its stage; a basis the manager could record; or
 * both), or nothing when no purpose of the role sees that tier under any basis or the role's cap
 * for this custodian is below it.
 */
export function tierForPurposeRelease(
  role: Role,
  agency: string | null,
  purpose: Purpose | null,
  basis: SharingBasis,
  tier: Tier,
  custodian: string | null,
): string {
  const never = neverReleased(role, agency, tier, custodian);
  if (never) return never;
  const steps: { text: string; count: number }[] = [];
  for (const other of PURPOSES_BY_ROLE[role]) {
    const bases = SHARING_BASES.filter((b) => reaches(MAX_TIER[other][b], tier));
    if (bases.length === 0) continue;
    const stage = stageNeededFor(other);
    const ask = other === purpose ? null : `ask for ${other}${stage ? ` once ${stage}` : ''}`;
    const record = bases.includes(basis)
      ? null
      : `the MASH manager records ${describeBases(bases)} (recordConsent / recordSharingGround)`;
    const parts = [ask, record].filter((p): p is string => p !== null);
    steps.push({ text: parts.join(', and '), count: parts.length });
  }
  const fewest = Math.min(...steps.map((s) => s.count));
  const text = steps
    .filter((s) => s.count === fewest)
    .map((s) => s.text)
    .join('; or ');
  return text[0].toUpperCase() + text.slice(1);
}

/**
 * NEED_TO_KNOW by within-need-to-know: a role cap is never lifted, so nothing releases it for
 * this caller; it names who may see that tier of that custodian's records instead.
 */
export function needToKnowRelease(role: Role, tier: Tier, custodian: string | null): string {
  const others = (Object.keys(ROLE_TIER_CAP) as Role[]).filter(
    (r) => r !== role && reaches(ROLE_TIER_CAP[r].otherAgencies, tier),
  );
  const custodianOwn =
    custodian !== null &&
    custodian !== 'mash' &&
    reaches(ROLE_TIER_CAP[Role.AGENCY_RESEARCHER].ownAgency, tier)
      ? [`${custodian}'s own researcher`]
      : [];
  const who = [...custodianOwn, ...others.map(describeRole)];
  return (
    `nothing: ${describeRole(role)} may never see ${TIER_NAMES[tier]} information held by ${custodian}` +
    (who.length ? `; ${who.join(' or ')} may` : '')
  );
}

/** NOT_PERMITTED by has-role: only other roles may. */
export function roleRelease(roles: Role[]): string {
  return `nothing for your role: only ${roleList(roles)} may do this`;
}
