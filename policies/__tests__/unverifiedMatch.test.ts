import { sharesRecords, UNVERIFIED_MATCH_POLICY, unverifiedMatchDenial } from '../unverifiedMatch';

describe('unverified means identity only', () => {
  it.each([
    [false, true],
    [true, false],
  ])('a match needing verification %s shares records: %s', (needsVerification, shares) => {
    expect(sharesRecords({ needsVerification })).toBe(shares);
  });

  it('shares only the fields it takes to verify the match', () => {
    expect(UNVERIFIED_MATCH_POLICY.sharedFields).toEqual([
      'agency',
      'status',
      'match',
      'checkedAt',
      'reason',
    ]);
  });

  it('says so with its code, rule, the agency and what would release the records', () => {
    const denial = unverifiedMatchDenial('police');
    expect(denial).toMatchObject({
      code: 'MATCH_NOT_VERIFIED',
      rule: 'unverified-match-identity-only',
      release:
        "The agency's own MASH researcher, or the MASH manager, confirms the match for this case (confirmIdentityMatch); then the records follow.",
    });
    expect(denial.message).toContain('police');
  });
});
