import { parseArgs } from 'node:util';
import { Purpose, Role } from '../policies/roles';
import { issueDevelopmentToken } from './authentication';
import { PURPOSE_HEADER } from './requestAccess';

/**
 * `npm run audit -- <verify|export|summary> [--url U] [--from ISO] [--to ISO] [--token T]`:
 * information governance's commands against a running gateway. `verify` checks the whole chain
 * (exit code 1 if broken); `export` writes the trail as CSV to standard output; `summary` prints
 * the period's counts. Without --token (or MASH_TOKEN) a development IG token is used (embedded demo).
 */
async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string', default: 'http://localhost:4000/graphql' },
      from: { type: 'string' },
      to: { type: 'string' },
      token: { type: 'string' },
    },
  });
  const token =
    values.token ??
    process.env.MASH_TOKEN ??
    (await issueDevelopmentToken({ userId: 'ig.command', role: Role.IG_OFFICER }));
  const ask = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(values.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        [PURPOSE_HEADER]: Purpose.AUDIT,
      },
      body: JSON.stringify({ query, variables }),
    }).catch(() => {
      throw new Error(`No gateway answers at ${values.url}: start it (npm start) or pass --url.`);
    });
    const body = (await response.json()) as {
      data?: Record<string, unknown>;
      errors?: { message: string }[];
    };
    if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('\n'));
    return body.data!;
  };
  const period = { from: values.from ?? null, to: values.to ?? null };

  switch (positionals[0]) {
    case 'verify': {
      const { verifyAuditChain: v } = (await ask(
        '{ verifyAuditChain { valid recordsChecked firstBrokenRecordId firstBrokenSequence problem } }',
      )) as {
        verifyAuditChain: {
          valid: boolean;
          recordsChecked: number;
          firstBrokenRecordId: string;
          firstBrokenSequence: number;
          problem: string;
        };
      };
      if (v.valid) {
        console.log(`The audit chain is whole: ${v.recordsChecked} records checked.`);
      } else {
        console.log(
          `The audit chain is BROKEN at record ${v.firstBrokenRecordId} (number ${v.firstBrokenSequence}): ${v.problem}.`,
        );
        console.log(`${v.recordsChecked} records before it are intact.`);
        process.exitCode = 1;
      }
      return;
    }
    case 'export': {
      const columns = [
        'sequence',
        'recorded',
        'agentUserId',
        'agentRole',
        'agentAgency',
        'purposeOfUse',
        'caseReference',
        'basis',
        'groundAuthorisedBy',
        'outcome',
        'custodians',
        'subjectIds',
        'granted',
        'denied',
        'latencyMs',
        'client',
      ] as const;
      console.log(columns.join(','));
      let after: string | null = null;
      do {
        const data = (await ask(
          `query ($after: String, $from: DateTimeISO, $to: DateTimeISO) { auditTrail(first: 500, after: $after, from: $from, to: $to) {
            entries { ${columns.filter((c) => c !== 'denied').join(' ')} denied { path code rule custodian } } nextCursor } }`,
          { after, ...period },
        )) as { auditTrail: { entries: Record<string, unknown>[]; nextCursor: string | null } };
        for (const entry of data.auditTrail.entries) {
          const denied = (
            entry.denied as { path: string; code: string; rule: string; custodian: string | null }[]
          ).map((d) => `${d.custodian ?? ''}:${d.path}:${d.code}:${d.rule}`);
          console.log(columns.map((c) => csvField(c === 'denied' ? denied : entry[c])).join(','));
        }
        after = data.auditTrail.nextCursor;
      } while (after);
      return;
    }
    case 'summary': {
      const { auditSummary: s } = (await ask(
        `query ($from: DateTimeISO, $to: DateTimeISO) { auditSummary(from: $from, to: $to) {
          accesses byOutcome { key count } denialsByRule { key count } byBasis { key count }
          widestReach { userId accesses distinctSubjects distinctCases } } }`,
        period,
      )) as { auditSummary: { accesses: number; [k: string]: unknown } };
      const list = (rows: unknown) =>
        (rows as { key: string; count: number }[]).map((r) => `${r.key} ${r.count}`).join(', ') ||
        'none';
      console.log(`Accesses ${period.from ?? 'ever'} to ${period.to ?? 'now'}: ${s.accesses}`);
      console.log(`  by outcome:         ${list(s.byOutcome)}`);
      console.log(`  by basis:           ${list(s.byBasis)}`);
      console.log(`  withheld, by rule:  ${list(s.denialsByRule)}`);
      console.log('  widest reach (user: accesses, distinct subjects, distinct cases):');
      for (const u of s.widestReach as {
        userId: string;
        accesses: number;
        distinctSubjects: number;
        distinctCases: number;
      }[]) {
        console.log(
          `    ${u.userId.padEnd(28)} ${String(u.accesses).padStart(6)} ${String(u.distinctSubjects).padStart(6)} ${String(u.distinctCases).padStart(6)}`,
        );
      }
      return;
    }
    default:
      throw new Error(
        'Usage: npm run audit -- <verify|export|summary> [--url U] [--from ISO] [--to ISO] [--token T]',
      );
  }
}

/** RFC 4180: quote a field that holds a comma, a quote or a line break; lists joined with "; ". */
function csvField(value: unknown): string {
  const text = Array.isArray(value)
    ? value.join('; ')
    : value === null || value === undefined
      ? ''
      : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
