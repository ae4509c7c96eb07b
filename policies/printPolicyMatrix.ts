import { parseArgs } from 'node:util';
import { SHARING_BASES } from './consent';
import { policyMatrix } from './policyMatrix';
import { PURPOSES_BY_ROLE, Role } from './roles';
import { TIER_NAMES } from './tiers';

/**
 * `npm run policy-matrix [-- --fields]`: the policy as a readable table, computed by running the
 * same rules the gateway runs. For each role and purpose (rows) and each basis for sharing
 * (columns): the highest tier of an agency's records that may be seen, or the rule that denies
 * everything. `--fields` lists every field's decision instead.
 */
async function main() {
  const { values } = parseArgs({ options: { fields: { type: 'boolean', default: false } } });
  const cells = await policyMatrix();
  if (values.fields) {
    for (const c of cells) {
      const who = c.researcherOf ? `${c.role}(${c.researcherOf})` : c.role;
      console.log(
        [
          c.field,
          c.tier,
          who,
          c.purpose,
          c.basis,
          c.allowed ? 'ALLOWED' : `${c.code} ${c.rule}`,
        ].join('\t'),
      );
    }
    return;
  }
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
    if (PURPOSES_BY_ROLE[role].length === 0)
      rows.push([who, '(none)', ...SHARING_BASES.map(() => 'none: WRONG_PURPOSE')]);
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
        const allowed = mine
          .filter((c) => c.allowed)
          .map((c) => TIER_NAMES.indexOf(c.tier as (typeof TIER_NAMES)[number]));
        const denied = mine.find((c) => !c.allowed);
        row.push(
          allowed.length > 0
            ? `up to ${TIER_NAMES[Math.max(...allowed)]}`
            : `none: ${denied?.code}`,
        );
      }
      rows.push(row);
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(
    "What each role may see of an agency's records, by purpose (rows) and basis for sharing (columns).",
  );
  console.log(
    "Computed by running the gateway's rules on an open case assigned to the caller's team.\n",
  );
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, j) => cell.padEnd(widths[j])).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
