/**
 * Who may act, for which purpose. Read this table as the policy; the rules in `rules.ts` only
 * interpret it.
 */
export enum Role {
  /** A MASH researcher employed by one agency (the token names the agency). */
  AGENCY_RESEARCHER = 'AGENCY_RESEARCHER',
  /** Decides on referrals; records consent and grounds for sharing without consent. */
  MASH_MANAGER = 'MASH_MANAGER',
  /** A council's children's social care system pulling a subject's history by API. */
  CASE_SYSTEM = 'CASE_SYSTEM',
  /** Information governance: audits access and reads the policy; sees no child records. */
  IG_OFFICER = 'IG_OFFICER',
  /** Whoever made a referral: may learn its outcome (issue #6), never agency records. */
  REFERRER = 'REFERRER',
}

/** Why the information is wanted. Every request states one. */
export enum Purpose {
  AGENCY_CHECK = 'AGENCY_CHECK',
  /** Strategy discussion under section 47 of the Children Act 1989. */
  STRATEGY_DISCUSSION = 'STRATEGY_DISCUSSION',
  ASSESSMENT = 'ASSESSMENT',
  /** A case system pulling a subject's history for its own open case. */
  CASE_HISTORY = 'CASE_HISTORY',
  AUDIT = 'AUDIT',
}

export const PURPOSES_BY_ROLE: Record<Role, Purpose[]> = {
  [Role.AGENCY_RESEARCHER]: [Purpose.AGENCY_CHECK],
  [Role.MASH_MANAGER]: [Purpose.AGENCY_CHECK, Purpose.STRATEGY_DISCUSSION, Purpose.ASSESSMENT],
  [Role.CASE_SYSTEM]: [Purpose.CASE_HISTORY],
  [Role.IG_OFFICER]: [Purpose.AUDIT],
  [Role.REFERRER]: [],
};

/**
 * Service accounts: machines, not people. They run only the operations registered for them
 * (`operations/`, by hash), at a bounded rate; a person's session may ask anything the policies allow.
 */
export const SERVICE_ACCOUNT_ROLES: readonly Role[] = [Role.CASE_SYSTEM];

export function isServiceAccount(role: Role): boolean {
  return SERVICE_ACCOUNT_ROLES.includes(role);
}

/** "an agency researcher", "a MASH manager": roles as a sentence names them. */
export function describeRole(role: Role): string {
  const names: Record<Role, string> = {
    [Role.AGENCY_RESEARCHER]: 'an agency researcher',
    [Role.MASH_MANAGER]: 'a MASH manager',
    [Role.CASE_SYSTEM]: 'a case system',
    [Role.IG_OFFICER]: 'an information governance officer',
    [Role.REFERRER]: 'a referrer',
  };
  return names[role];
}
