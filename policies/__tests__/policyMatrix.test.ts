import { AGENCIES } from '../../subgraphs/agencies';
import { SHARING_BASES } from '../consent';
import { PolicyCell, policyMatrix } from '../policyMatrix';
import { FIELDS_CSV_HEADER, fieldsCsv, summaryCell, summaryTable } from '../printPolicyMatrix';
import { Purpose, Role } from '../roles';
import { FIELD_TIERS } from '../tiers';

let cells: PolicyCell[];
beforeAll(async () => {
  cells = await policyMatrix();
});

const cell = (over: Partial<PolicyCell>): PolicyCell => ({
  field: 'IncidentRecord.type',
  custodian: 'police',
  tier: 'SUMMARY',
  role: Role.MASH_MANAGER,
  researcherOf: null,
  purpose: Purpose.AGENCY_CHECK,
  basis: 'CONSENT',
  allowed: true,
  code: null,
  rule: null,
  release: null,
  ...over,
});

describe('the policy matrix', () => {
  it('says what would release every denied cell, and nothing for an allowed one', () => {
    // Every tiered field × every caller (a researcher twice: own agency, another) × purpose × basis.
    const fields = Object.values(FIELD_TIERS).reduce((n, t) => n + Object.keys(t.fields).length, 0);
    const callers = Object.values(Role).length + 1;
    expect(cells.length).toBe(
      fields * callers * Object.values(Purpose).length * SHARING_BASES.length,
    );
    // Ten agencies' fields among them (a check field on Subject each).
    expect(new Set(cells.map((c) => c.custodian)).size).toBeGreaterThanOrEqual(AGENCIES.length);
    expect(cells.filter((c) => c.allowed !== (c.release === null))).toEqual([]);
    expect(cells.filter((c) => c.allowed !== (c.code === null))).toEqual([]);
  });

  it('decides on a case at child protection, so every purpose is earned', () => {
    expect(cells.some((c) => c.code === 'PURPOSE_NOT_JUSTIFIED')).toBe(false);
    const strategy = cells.find(
      (c) =>
        c.field === 'HealthContact.summary' &&
        c.role === Role.MASH_MANAGER &&
        c.purpose === Purpose.STRATEGY_DISCUSSION &&
        c.basis === 'CONSENT',
    );
    expect(strategy).toMatchObject({ allowed: true });
  });

  it('filters by role, purpose, basis and custodian', async () => {
    const some = await policyMatrix({
      role: Role.CASE_SYSTEM,
      purpose: Purpose.CASE_HISTORY,
      basis: 'NONE',
      custodian: 'health',
    });
    expect(some.length).toBeGreaterThan(0);
    expect(
      some.every(
        (c) =>
          c.role === Role.CASE_SYSTEM &&
          c.purpose === Purpose.CASE_HISTORY &&
          c.basis === 'NONE' &&
          c.custodian === 'health',
      ),
    ).toBe(true);
  });
});

describe('npm run policy-matrix', () => {
  it('--fields: a header row, then one CSV line per cell, quoted where needed', () => {
    const lines = fieldsCsv(cells).split('\n');
    expect(lines[0]).toBe(FIELDS_CSV_HEADER.join(','));
    expect(lines[0]).toBe(
      'field,custodian,tier,role,researcherOf,purpose,basis,decision,code,rule,release',
    );
    expect(lines).toHaveLength(cells.length + 1);
    const denied = fieldsCsv([
      cell({ allowed: false, code: 'NEED_TO_KNOW', rule: 'r', release: 'Say "yes", then go' }),
    ]).split('\n')[1];
    expect(denied).toBe(
      'IncidentRecord.type,police,SUMMARY,MASH_MANAGER,,AGENCY_CHECK,CONSENT,DENIED,NEED_TO_KNOW,r,"Say ""yes"", then go"',
    );
    expect(fieldsCsv([cell({})]).split('\n')[1]).toBe(
      'IncidentRecord.type,police,SUMMARY,MASH_MANAGER,,AGENCY_CHECK,CONSENT,ALLOWED,,,',
    );
  });

  it.each([
    [
      'records beyond identity: up to the highest, noting the next denial',
      [
        cell({ tier: 'IDENTITY' }),
        cell({ tier: 'DETAIL' }),
        cell({ tier: 'SPECIAL_CATEGORY', allowed: false, code: 'NEED_TO_KNOW', release: 'x' }),
      ],
      'up to DETAIL',
      'NEED_TO_KNOW',
    ],
    [
      'identity only (the withholding notice) reads as none',
      [
        cell({ tier: 'IDENTITY' }),
        cell({ tier: 'SUMMARY', allowed: false, code: 'CONSENT_REQUIRED', release: 'y' }),
      ],
      'none: CONSENT_REQUIRED',
      'CONSENT_REQUIRED',
    ],
    [
      'nothing at all',
      [cell({ tier: 'IDENTITY', allowed: false, code: 'NEED_TO_KNOW', release: 'z' })],
      'none: NEED_TO_KNOW',
      'NEED_TO_KNOW',
    ],
    [
      'the lowest denial above what is allowed is the note',
      [
        cell({ tier: 'SUMMARY' }),
        cell({ tier: 'SPECIAL_CATEGORY', allowed: false, code: 'B', release: 'b' }),
        cell({ tier: 'DETAIL', allowed: false, code: 'A', release: 'a' }),
      ],
      'up to SUMMARY',
      'A',
    ],
    [
      'everything allowed: no note',
      [cell({ tier: 'SPECIAL_CATEGORY' })],
      'up to SPECIAL_CATEGORY',
      null,
    ],
  ])('summary cell: %s', (_situation, given, text, code) => {
    const { text: shown, denial } = summaryCell(given as PolicyCell[]);
    expect(shown).toBe(text);
    expect(denial?.code ?? null).toBe(code);
  });

  it('the summary table agrees with the README: consent-required rows, notes on what releases them', () => {
    const table = summaryTable(cells);
    const row = (start: string) => table.split('\n').find((l) => l.startsWith(start))!;
    expect(row('AGENCY_RESEARCHER (own agency)')).toMatch(
      /up to DETAIL \[\d+\] .*none: CONSENT_REQUIRED \[\d+\]$/,
    );
    expect(row('MASH_MANAGER                      STRATEGY_DISCUSSION')).toMatch(
      /^MASH_MANAGER\s+STRATEGY_DISCUSSION\s+up to SPECIAL_CATEGORY\s/,
    );
    expect(table).toContain(
      "CONSENT_REQUIRED (consent-or-recorded-ground) — Record the family's consent, or one of the four grounds for sharing without it (the MASH manager: recordConsent / recordSharingGround)",
    );
    expect(table).not.toContain('up to IDENTITY');
  });
});
