import { MATCH_DECISION_POLICY, mayDecideForAgency, mayDecideMatch } from '../matchDecision';
import { Role } from '../roles';
import { accessFor, decide } from './policyFixtures';

/** Who may confirm or reject a possible match to which agency's record: the policy as a table. */
describe('who may decide on a possible match', () => {
  // [role, the caller's agency, the record's agency, may decide]
  const table: [Role, string | null, string, boolean][] = [
    [Role.AGENCY_RESEARCHER, 'police', 'police', true],
    [Role.AGENCY_RESEARCHER, 'health', 'health', true],
    [Role.AGENCY_RESEARCHER, 'health', 'police', false],
    [Role.AGENCY_RESEARCHER, 'social-care', 'education', false],
    [Role.AGENCY_RESEARCHER, null, 'police', false],
    [Role.MASH_MANAGER, null, 'police', true],
    [Role.MASH_MANAGER, null, 'education', true],
    [Role.CASE_SYSTEM, 'social-care', 'social-care', false],
    [Role.IG_OFFICER, null, 'police', false],
    [Role.REFERRER, null, 'police', false],
  ];

  it.each(table)(
    '%s of %s, for a record of %s: %s',
    async (role, agency, recordAgency, allowed) => {
      const access = accessFor({ role, agency });
      expect(mayDecideMatch(access.caller, recordAgency)).toBe(allowed);
      const decision = await decide(mayDecideForAgency, access, { agency: recordAgency });
      if (allowed) expect(decision).toBe(true);
      else
        expect(decision).toMatchObject({
          code: 'NOT_PERMITTED',
          rule: MATCH_DECISION_POLICY.rule,
          release: `${recordAgency}'s own MASH researcher, or the MASH manager, confirms or rejects it`,
        });
    },
  );

  it('refuses anyone signed out, and an agency argument that is not a string', async () => {
    expect(mayDecideMatch(null, 'police')).toBe(false);
    const researcher = accessFor({ role: Role.AGENCY_RESEARCHER, agency: 'police' });
    expect(await decide(mayDecideForAgency, researcher, { agency: ['police'] })).toMatchObject({
      code: 'NOT_PERMITTED',
    });
    expect(await decide(mayDecideForAgency, researcher, {})).toMatchObject({
      code: 'NOT_PERMITTED',
    });
  });

  it("names the refused agency in a researcher's denial", async () => {
    const denial = await decide(
      mayDecideForAgency,
      accessFor({ role: Role.AGENCY_RESEARCHER, agency: 'health' }),
      { agency: 'police' },
    );
    expect(denial).toMatchObject({
      message:
        "Only police's own researcher or the MASH manager may decide on a possible match to police's record.",
    });
  });

  it('lets only the MASH manager correct the demographics every agency matches on', () => {
    expect(MATCH_DECISION_POLICY.correctors).toEqual([Role.MASH_MANAGER]);
  });
});
