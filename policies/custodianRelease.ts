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

/**
 * The mutation by which a custodian's own member releases its flagged records for a case, named
 * after the agency (`police` → `releasePoliceRecord`), so the permission tree finds each agency's.
 */
export function releaseMutation(custodian: string): string {
  return `release${custodian.replace(/(^|-)([a-z])/g, (_m, _dash, letter: string) => letter.toUpperCase())}Record`;
}

/** What would release a flagged record: its custodian's own member, by that agency's mutation. */
export function custodianReleaseHint(custodian: string): string {
  return `The ${custodian}'s own MASH member releases it for this case (${releaseMutation(custodian)})`;
}

export function custodianReleaseDenial(custodian: string): PolicyDenial {
  return new PolicyDenial(
    'CUSTODIAN_RELEASE_REQUIRED',
    'custodian-release',
    `${custodian} has flagged this record: its MASH member must release it for this case before its detail is shared.`,
    custodianReleaseHint(custodian),
  );
}
