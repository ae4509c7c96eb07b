import { PolicyDenial } from './policyDenial';
import type { Role } from './roles';

/**
 * Protected addresses. A person at risk (a domestic-abuse victim in a refuge) is recorded with
 * `addressConfidential`; the protection then belongs to the *address*, not to that one row: the
 * partner, the children, a newborn named later, anyone in any case recorded at that address has
 * their address withheld too, or the refuge would be read off a co-resident.
 *
 * Read as the policy:
 * - **Who may see a protected address:** the roles listed in `rolesAllowed` — none today. Not the
 *   MASH manager, not any agency's researcher, not a case system.
 * - **Matching still works** (`agenciesMatchOnIt`): each agency's matching receives the postcode
 *   through the hub's `matchingPostcode`, a field the gateway never offers to clients
 *   (`@inaccessible`), so a refuge's household is still found with certainty; the agencies never
 *   echo a postcode back (`identity/matchIdentity.ts`). Without it, every check on a household in
 *   a refuge would be an unverified match, and the agencies' knowledge of the people most at risk
 *   would never reach the hub.
 * - **What is withheld:** every field in `withheldFields`, on every subject at the address.
 * - **When a subject is at a protected address** (`isAtProtectedAddress`): their address line
 *   equals a protected person's address line, or their postcode equals a protected person's
 *   postcode, each compared normalised (case, spacing and punctuation ignored). Either is enough,
 *   and both fields are then withheld: a co-resident with a mistyped postcode is still caught by
 *   the address line, one with a differently written address line by the postcode; a postcode is
 *   a handful of homes, so the postcode of anyone in it, or their address line (which names the
 *   street), would narrow the refuge to a few doors. The cost: a neighbour sharing a refuge's
 *   postcode has their address withheld in the hub's answers too (the hub still holds it).
 * - **Nothing that narrows it:** the hub returns no other address-like field, and the agencies'
 *   match `differences` never repeat a postcode or its district (`identity/matchIdentity.ts`).
 */
export const PROTECTED_ADDRESS_POLICY = {
  code: 'PROTECTED_IDENTITY',
  rule: 'protected-address',
  rolesAllowed: [] as readonly Role[],
  agenciesMatchOnIt: true,
  withheldFields: ['addressLine', 'postcode'] as const,
  release:
    'None: the protected-address policy names no role that may see a protected address (policies/protectedAddress.ts).',
} as const;

export type ProtectedAddressField = (typeof PROTECTED_ADDRESS_POLICY.withheldFields)[number];

/** The protected addresses a request's subjects could be at, normalised. */
export interface ProtectedAddresses {
  addressLines: ReadonlySet<string>;
  postcodes: ReadonlySet<string>;
}

/** "ns9 4kn", "NS94KN", "NS9-4KN" are one postcode. */
export function normalisePostcode(postcode: string | null | undefined): string | null {
  const normalised = (postcode ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return normalised || null;
}

/** "5 Moss Lane, Skiles" and "5  moss lane skiles" are one address line. */
export function normaliseAddressLine(addressLine: string | null | undefined): string | null {
  const normalised = (addressLine ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  return normalised || null;
}

export function isAtProtectedAddress(
  subject: { addressLine: string | null; postcode: string | null; addressConfidential: boolean },
  protectedAddresses: ProtectedAddresses,
): boolean {
  if (subject.addressConfidential) return true;
  const line = normaliseAddressLine(subject.addressLine);
  const postcode = normalisePostcode(subject.postcode);
  return (
    (line !== null && protectedAddresses.addressLines.has(line)) ||
    (postcode !== null && protectedAddresses.postcodes.has(postcode))
  );
}

/** Whether a caller of this role may see a protected address (no role may, today). */
export function mayLearnProtectedAddress(role: Role | null): boolean {
  return role !== null && PROTECTED_ADDRESS_POLICY.rolesAllowed.includes(role);
}

export function protectedAddressDenial(): PolicyDenial {
  return new PolicyDenial(
    PROTECTED_ADDRESS_POLICY.code,
    PROTECTED_ADDRESS_POLICY.rule,
    'This address is protected: a person at risk lives there.',
    PROTECTED_ADDRESS_POLICY.release,
  );
}
