import { PolicyDenial } from './policyDenial';

/**
 * Unverified means identity only. A possible match (`needsVerification`: anything short of an
 * agreeing NHS number, or of identical names, date of birth and postcode with no other candidate)
 * may be someone else's child: a referral naming a common name and a date of birth must not fish
 * out another family's incidents, school or social-care history. Until a person confirms the match,
 * an agency's check shares only what it takes to verify it:
 * - **shared:** the fields in `sharedFields` — the agency, `status` (still `FOUND`: there is a
 *   possible record, and "none found" would be false and would stop the researcher looking), the
 *   match (confidence, basis, what differs, the agency's record reference, other candidates), when
 *   it was checked, and a `reason` saying the records wait for verification;
 * - **withheld:** every record field of the check, `null` with an error `MATCH_NOT_VERIFIED`
 *   (never `[]`: a withheld field is never shown as "none"). The agency does not even load them.
 * The rule runs in the agency's own subgraph (the shared check loader, `schema/agencyCheckLoader.ts`),
 * so the records never leave the agency, whoever asks and under whatever consent.
 */
export const UNVERIFIED_MATCH_POLICY = {
  code: 'MATCH_NOT_VERIFIED',
  rule: 'unverified-match-identity-only',
  sharedFields: ['agency', 'status', 'match', 'checkedAt', 'reason'] as const,
  reason:
    'A possible match: its records are withheld until a person verifies that this record is the subject.',
  release:
    "The agency's own MASH researcher, or the MASH manager, confirms the match for this case (confirmIdentityMatch); then the records follow.",
} as const;

/** Whether a match may share the agency's records, or identity only. */
export function sharesRecords(match: { needsVerification: boolean }): boolean {
  return !match.needsVerification;
}

export function unverifiedMatchDenial(agency: string): PolicyDenial {
  return new PolicyDenial(
    UNVERIFIED_MATCH_POLICY.code,
    UNVERIFIED_MATCH_POLICY.rule,
    `${agency}'s record is a possible match only: its records are shared once a person verifies it.`,
    UNVERIFIED_MATCH_POLICY.release,
  );
}
