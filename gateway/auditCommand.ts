import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { Purpose, Role } from '../policies/roles';
import { developmentUserId, issueDevelopmentToken } from './authentication';
import { PURPOSE_HEADER } from './requestAccess';

const USAGE = `Usage: npm run audit -- <verify|export|summary> [--from D] [--to D] [--format F] [--out FILE]
                      [--port N | --url U] [--token T]
  --from, --to  a date (2026-11-01: from the start of that day, to the end of that day, UK time)
                or a date and time (2026-11-01T09:00:00Z)
  --format F    export: csv (default), fhir (FHIR R4 AuditEvents in a Bundle) or jsonl (JSON
                lines for a SIEM); fhir and jsonl carry each record's hash and previous hash
                (check them with npm run verify-audit-export -- FILE)
  --out FILE    export: write it to FILE (only once the whole trail has been read)
  --port N      the gateway's port (default: PORT, or 4000); --url the whole address`;

/** The zone a plain date is read in: the hub's (UK time, GMT or BST as the date falls). */
export const PLAIN_DATE_ZONE = 'Europe/London';

/**
 * A period bound as the audit trail takes it (an instant, ISO 8601). A plain date is a whole day
 * in UK time: `from` its start, `to` its end (the trail's `to` is exclusive, so the start of
 * the next day), so "--from 2026-11-01 --to 2026-11-30" is November.
 */
export function periodBound(name: 'from' | 'to', raw: string | undefined): string | null {
  if (raw === undefined) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) {
    const day = DateTime.fromISO(raw, { zone: PLAIN_DATE_ZONE });
    if (!day.isValid) throw new Error(`--${name} ${raw} is not a date in the calendar.`);
    return (name === 'to' ? day.plus({ days: 1 }) : day).toUTC().toISO()!;
  }
  const instant = DateTime.fromISO(raw, { setZone: true });
  if (!instant.isValid || !/T\d{2}:\d{2}/.test(raw) || !/(Z|[+-]\d{2}:?\d{2})$/.test(raw)) {
    throw new Error(
      `--${name} must be a date (2026-11-01) or a date and time with its zone (2026-11-01T09:00:00Z), not "${raw}".`,
    );
  }
  return instant.toUTC().toISO()!;
}

/** The gateway's address: --url, or localhost on --port, PORT or 4000 (as npm start uses them). */
export function gatewayUrl(values: { url?: string; port?: string }, env = process.env): string {
  if (values.url) return values.url;
  const raw = values.port ?? env.PORT ?? '4000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`--port (or PORT) must be a whole number from 1 to 65535 (got "${raw}").`);
  }
  return `http://localhost:${port}/graphql`;
}

/**
 * `npm run audit -- <verify|export|summary> …` (see USAGE): information governance's commands
 * against a running gateway. `verify` checks the whole chain (exit code 1 if broken); `export`
 * writes the trail as CSV, FHIR R4 or JSON lines; `summary` prints the period's counts. Without --token (or MASH_TOKEN)
 * a development IG token is used (embedded demo). On any failure nothing is written to standard
 * output or to --out, and the exit code is 1: a half-written trail would read as a short one.
 */
async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      port: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string' },
      token: { type: 'string' },
    },
  });
  if (values.out && positionals[0] !== 'export') throw new Error(`--out is for export.\n${USAGE}`);
  if (values.format && positionals[0] !== 'export')
    throw new Error(`--format is for export.\n${USAGE}`);
  const format = values.format ?? 'csv';
  if (!['csv', 'fhir', 'jsonl'].includes(format))
    throw new Error(`--format must be csv, fhir or jsonl (got "${format}").\n${USAGE}`);
  const url = gatewayUrl(values);
  const period = { from: periodBound('from', values.from), to: periodBound('to', values.to) };
  const token =
    values.token ??
    process.env.MASH_TOKEN ??
    (await issueDevelopmentToken({
      userId: developmentUserId(Role.IG_OFFICER),
      role: Role.IG_OFFICER,
    }));
  const ask = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        [PURPOSE_HEADER]: Purpose.AUDIT,
      },
      body: JSON.stringify({ query, variables }),
    }).catch(() => {
      throw new Error(
        `No gateway answers at ${url}: start it (npm start), or pass --port or --url.`,
      );
    });
    const body = (await response.json().catch(() => null)) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string }[];
    } | null;
    if (!body) {
      throw new Error(
        `The gateway at ${url} answered ${response.status} ${response.statusText}, not GraphQL.`,
      );
    }
    if (body.errors?.length) {
      throw new Error(
        `The gateway refused (${response.status}): ${body.errors.map((e) => e.message).join('\n')}`,
      );
    }
    if (!body.data) throw new Error(`The gateway answered ${response.status} with no data.`);
    return body.data;
  };

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
      if (format !== 'csv') {
        const text = await exportForTools(
          format === 'fhir' ? 'FHIR_BUNDLE' : 'JSON_LINES',
          ask,
          period,
        );
        if (values.out) {
          writeWhole(values.out, text.content);
          console.error(`${text.records} audit records written to ${values.out}.`);
        } else {
          process.stdout.write(text.content);
        }
        return;
      }
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
      // Read the whole trail first: a failure on page 3 must not leave two pages that look whole.
      const lines = [columns.join(',')];
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
          lines.push(columns.map((c) => csvField(c === 'denied' ? denied : entry[c])).join(','));
        }
        after = data.auditTrail.nextCursor;
      } while (after);
      const csv = `${lines.join('\n')}\n`;
      if (values.out) {
        writeWhole(values.out, csv);
        console.error(`${lines.length - 1} audit records written to ${values.out}.`);
      } else {
        process.stdout.write(csv);
      }
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
      console.log(`Accesses ${values.from ?? 'ever'} to ${values.to ?? 'now'}: ${s.accesses}`);
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
      throw new Error(USAGE);
  }
}

/**
 * The whole trail (or period) as FHIR R4 AuditEvents in one Bundle, or as JSON lines, read page by
 * page from the audit subgraph (which maps the records: subgraphs/audit/auditExport.ts).
 */
async function exportForTools(
  format: 'FHIR_BUNDLE' | 'JSON_LINES',
  ask: (query: string, variables: Record<string, unknown>) => Promise<Record<string, unknown>>,
  period: { from: string | null; to: string | null },
): Promise<{ content: string; records: number }> {
  const pages: string[] = [];
  let records = 0;
  let after: string | null = null;
  do {
    const data = (await ask(
      `query ($format: AuditExportFormat!, $after: String, $from: DateTimeISO, $to: DateTimeISO) {
        auditExport(format: $format, first: 500, after: $after, from: $from, to: $to) { content records nextCursor } }`,
      { format, after, ...period },
    )) as { auditExport: { content: string; records: number; nextCursor: string | null } };
    pages.push(data.auditExport.content);
    records += data.auditExport.records;
    after = data.auditExport.nextCursor;
  } while (after);
  if (format === 'JSON_LINES') return { content: pages.join(''), records };
  // One Bundle: the first page's, with every page's entries in chain order.
  const [first, ...rest] = pages.map((page) => JSON.parse(page) as { entry?: unknown[] });
  const entries = [first.entry ?? [], ...rest.map((bundle) => bundle.entry ?? [])].flat();
  // FHIR JSON has no empty arrays: a Bundle with no records has no `entry`.
  if (entries.length > 0) first.entry = entries;
  return { content: `${JSON.stringify(first, null, 2)}\n`, records };
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

/** Written beside the target, then renamed over it: the file is the whole trail or untouched. */
function writeWhole(file: string, text: string) {
  const draft = path.join(
    path.dirname(path.resolve(file)),
    `.${path.basename(file)}.${process.pid}.part`,
  );
  try {
    writeFileSync(draft, text);
    renameSync(draft, file);
  } catch (error) {
    rmSync(draft, { force: true });
    throw new Error(`Could not write ${file}: ${error instanceof Error ? error.message : error}`, {
      cause: error,
    });
  }
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
