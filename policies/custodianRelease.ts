import { PolicyDenial } from './policyDenial';

/**
 * Custodian release: a record its agency has flagged (an active investigation, a sealed record) is
 * shared only once that agency's own MASH member has released it for the case. The flag and the
 * releases live in the agency's own database, so this rule runs in the agency's subgraph.
 */
export function awaitsCustodianRelease(
  record: { id: string; requiresCustodianRelease: boolean },
  releasedForThisCase: ReadonlySet<string>,
): boolean {
  return record.requiresCustodianRelease && !releasedForThisCase.has(record.id);
}

/** The mutation by which each custodian's own member releases a flagged record for a case. */
export const RELEASE_MUTATION: Record<string, string> = {
  police: 'releasePoliceRecord',
};

/** What would release a flagged record: its custodian's own member, by that agency's mutation. */
export function custodianReleaseHint(custodian: string): string {
  const mutation = RELEASE_MUTATION[custodian];
  return `The ${custodian}'s own MASH member releases it for this case${mutation ? ` (${mutation})` : ''}`;
}

export function custodianReleaseDenial(custodian: string): PolicyDenial {
  return new PolicyDenial(
    'CUSTODIAN_RELEASE_REQUIRED',
    'custodian-release',
    `${custodian} has flagged this record: its MASH member must release it for this case before its detail is shared.`,
    custodianReleaseHint(custodian),
  );
}
