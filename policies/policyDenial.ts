/** Why a field was not shared. The code is what clients act on; the rule is what IG audits. */
export type DenialCode =
  | 'UNAUTHENTICATED'
  | 'WRONG_PURPOSE'
  | 'PURPOSE_NOT_JUSTIFIED'
  | 'CASE_REQUIRED'
  | 'CASE_CLOSED'
  | 'NOT_ASSIGNED'
  | 'CONSENT_REQUIRED'
  | 'NEED_TO_KNOW'
  | 'NOT_PERMITTED'
  | 'CUSTODIAN_RELEASE_REQUIRED'
  | 'PROTECTED_IDENTITY'
  | 'MATCH_NOT_VERIFIED';

export class PolicyDenial extends Error {
  constructor(
    readonly code: DenialCode,
    readonly rule: string,
    message: string,
    /**
     * In plain words, what would lawfully release the field and who can do it (record consent or a
     * ground: the MASH manager; a custodian release: that agency's member; nothing: never for this
     * role). Turns a refusal into the next step of the MASH process.
     */
    readonly release: string | null = null,
  ) {
    // A denial is an expected answer, not a fault: no stack is captured (nor formatted later, when
    // graphql-js copies it into the error clients get), which was most of what a denial cost.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'PolicyDenial';
  }
}

/** Builds an error for an expected answer (a denial, a withheld field) without capturing a stack. */
export function withoutStack<E extends Error>(build: () => E): E {
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return build();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}
