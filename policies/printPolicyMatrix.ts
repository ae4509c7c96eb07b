import { parseArgs } from 'node:util';
import { SHARING_BASES } from './consent';
import { PolicyCell, policyMatrix } from './policyMatrix';
import { PURPOSES_BY_ROLE, Role } from './roles';
import { TIER_NAMES } from './tiers';

/**
 * `npm run policy-matrix [-- --fields]`: the policy as a readable table, computed by running the
 * same rules the gateway runs. For each role and purpose (rows) and each basis for sharing
 * (columns): the highest tier of an agency's records that may be seen, or the code that denies
 * them, with a note on what would release more and who can do it. `--fields` prints every
 * field's decision as CSV instead, with a header row.
 */
async function main() {
  const { values } = parseArgs({ options: { fields: { type: 'boolean', default: false } } });
  const cells = await policyMatrix();
  console.log(values.fields ? fieldsCsv(cells) : summaryTable(cells));
}

export const FIELDS_CSV_HEADER = [
  'field',
  'custodian',
  'tier',
  'role',
  'researcherOf',
  'purpose',
  'basis',
  'decision',
  'code',
  'rule',
  'release',
];

/** Every cell, one CSV line each, after a header row (RFC 4180 quoting). */
export function fieldsCsv(cells: PolicyCell[]): string {
  const lines = [FIELDS_CSV_HEADER.join(',')];
  for (const c of cells) {
    lines.push(
      [
        c.field,
        c.custodian,
        c.tier,
        c.role,
        c.researcherOf,
        c.purpose,
        c.basis,
        c.allowed ? 'ALLOWED' : 'DENIED',
        c.code,
        c.rule,
        c.release,
      ]
        .map(csvValue)
        .join(','),
    );
  }
  return lines.join('\n');
}

function csvValue(value: string | null): string {
  if (value === null) return '';
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const tierIndex = (c: PolicyCell) => TIER_NAMES.indexOf(c.tier as (typeof TIER_NAMES)[number]);

/**
 * One cell of the summary: "up to DETAIL" when records beyond identity may be seen, else
 * "none: CODE". An agency check's own identity-tier fields (its agency and why it is withheld)
 * are the withholding notice, not records, so identity alone reads as none. The first denial
 * above what is allowed, the one that stops the caller going further, is the note.
 */
export function summaryCell(cells: PolicyCell[]): { text: string; denial: PolicyCell | null } {
  const allowed = cells.filter((c) => c.allowed).map(tierIndex);
  const best = allowed.length ? Math.max(...allowed) : -1;
  const denial =
    cells
      .filter((c) => !c.allowed && tierIndex(c) > Math.max(best, 0))
      .sort((a, b) => tierIndex(a) - tierIndex(b))[0] ??
    cells.find((c) => !c.allowed) ??
    null;
  if (best > 0) return { text: `up to ${TIER_NAMES[best]}`, denial };
  return { text: `none: ${denial?.code}`, denial };
}

export function summaryTable(cells: PolicyCell[]): string {
  const notes: string[] = [];
  const noteFor = (c: PolicyCell | null) => {
    if (!c?.release) return '';
    const note = `${c.code} (${c.rule}) — ${c.release}`;
    if (!notes.includes(note)) notes.push(note);
    return ` [${notes.indexOf(note) + 1}]`;
  };
  const rows: string[][] = [['role', 'purpose', ...SHARING_BASES]];
  const callers: [Role, 'OWN' | 'OTHER' | null][] = Object.values(Role).flatMap(
    (role): [Role, 'OWN' | 'OTHER' | null][] =>
      role === Role.AGENCY_RESEARCHER
        ? [
            [role, 'OWN'],
            [role, 'OTHER'],
          ]
        : [[role, null]],
  );
  for (const [role, researcherOf] of callers) {
    const who = researcherOf
      ? `${role} (${researcherOf === 'OWN' ? 'own agency' : 'other agency'})`
      : role;
    if (PURPOSES_BY_ROLE[role].length === 0) {
      const denial = cells.find((c) => c.role === role && !c.allowed) ?? null;
      const text = `none: ${denial?.code}${noteFor(denial)}`;
      rows.push([who, '(none)', ...SHARING_BASES.map(() => text)]);
    }
    for (const purpose of PURPOSES_BY_ROLE[role]) {
      const row = [who, purpose];
      for (const basis of SHARING_BASES) {
        // Agency records only: the hub's own fields (names, the case) are identity throughout.
        const mine = cells.filter(
          (c) =>
            c.role === role &&
            c.researcherOf === researcherOf &&
            c.purpose === purpose &&
            c.basis === basis &&
            c.custodian !== 'mash' &&
            c.custodian !== null,
        );
        const { text, denial } = summaryCell(mine);
        row.push(text + noteFor(denial));
      }
      rows.push(row);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const lines = [
    "What each role may see of an agency's records, by purpose (rows) and basis for sharing (columns).",
    "Computed by running the gateway's rules on an open case assigned to the caller's team, triaged at",
    'child protection (ASSESSMENT needs COMPLEX or above, STRATEGY_DISCUSSION CHILD_PROTECTION).',
    '[n]: what stops the caller seeing more, and what would lawfully release it.',
    '',
  ];
  for (const [i, row] of rows.entries()) {
    lines.push(
      row
        .map((cell, j) => cell.padEnd(widths[j]))
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  lines.push('');
  for (const [i, note] of notes.entries()) lines.push(`[${i + 1}] ${note}`);
  return lines.join('\n');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
