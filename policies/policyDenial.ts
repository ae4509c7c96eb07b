/** Why a field was not shared. The code is what clients act on; the rule is what IG audits. */
export type DenialCode =
  | 'UNAUTHENTICATED'
  | 'WRONG_PURPOSE'
  | 'CASE_REQUIRED'
  | 'CASE_CLOSED'
  | 'NOT_ASSIGNED'
  | 'CONSENT_REQUIRED'
  | 'NEED_TO_KNOW'
  | 'NOT_PERMITTED'
  | 'CUSTODIAN_RELEASE_REQUIRED'
  | 'PROTECTED_IDENTITY';

export class PolicyDenial extends Error {
  constructor(
    readonly code: DenialCode,
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = 'PolicyDenial';
  }
}
