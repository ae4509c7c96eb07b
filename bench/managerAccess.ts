import { randomUUID } from 'node:crypto';
import type { KeyLike } from 'jose';
import { caseFactsFrom } from '../gateway/requestAccess';
import type { AccessContext } from '../policies/accessContext';
import { Purpose, Role } from '../policies/roles';

/**
 * What the full gateway would decide for the benchmark's MASH manager on a case: the access
 * context the bare gateway and the peer forward, and the subgraphs are asked with directly.
 */
export async function managerAccess(
  mashUrl: string,
  key: KeyLike,
  caseReference: string,
  team: string,
): Promise<AccessContext> {
  return {
    caller: { userId: 'manager.bench', role: Role.MASH_MANAGER, agency: null, team },
    purpose: Purpose.AGENCY_CHECK,
    declaredCase: caseReference,
    case: await caseFactsFrom(mashUrl, key, 10_000)(caseReference, `bench-${randomUUID()}`),
  };
}
