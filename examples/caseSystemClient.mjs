#!/usr/bin/env node
/* global process, console, fetch, URL, URLSearchParams, Buffer, setTimeout */
/**
 * A case system's client of the MASH gateway: Node.js 18 or later and `fetch`, nothing else.
 *
 *   MASH_CLIENT_SECRET=… node examples/caseSystemClient.mjs      (npm run example:case-system)
 *
 * 1. A token for the service account (OAuth 2.0 client credentials, RFC 6749 §4.4): POST
 *    /oauth/token with the client id and secret as HTTP Basic. It lasts minutes: a 401 gets a new
 *    one, once.
 * 2. Registered operations only, sent by hash as Apollo's persisted queries do
 *    (`extensions.persistedQuery.sha256Hash`): the manifest, operations/persisted-query-manifest.json,
 *    names each operation and its hash. An operation is added by adding its .graphql file there.
 * 3. The case, declared by the case system's own reference (x-mash-case) for CASE_HISTORY: every
 *    agency's check for each subject, then each subject's dated records, printed oldest first, with
 *    what was withheld and by which rule.
 * 4. A 429 is waited out for its Retry-After, then the request is sent again.
 *
 * Settings (environment): MASH_GATEWAY (default http://localhost:$PORT, PORT 4000),
 * MASH_CLIENT_ID (case-system.social-care.demo), MASH_CLIENT_SECRET (required; the demo's:
 * npm run -s client-secret), MASH_CASE_SYSTEM_REFERENCE (the case in your system, CSC-000003),
 * MASH_CASE_REFERENCE (the hub's reference it was linked with, MASH-2026-000003), MASH_MANIFEST,
 * MASH_OUTPUT=json (the same as one JSON document).
 */
import { readFile } from 'node:fs/promises';

const env = process.env;
const gateway = env.MASH_GATEWAY ?? `http://localhost:${env.PORT ?? 4000}`;
const clientId = env.MASH_CLIENT_ID ?? 'case-system.social-care.demo';
const clientSecret = env.MASH_CLIENT_SECRET;
const caseSystemReference = env.MASH_CASE_SYSTEM_REFERENCE ?? 'CSC-000003';
const caseReference = env.MASH_CASE_REFERENCE ?? 'MASH-2026-000003';
const manifestFile =
  env.MASH_MANIFEST ?? new URL('../operations/persisted-query-manifest.json', import.meta.url);

if (!clientSecret) {
  console.error(
    "Set MASH_CLIENT_SECRET (the demo's: MASH_CLIENT_SECRET=$(npm run -s client-secret)).",
  );
  process.exit(2);
}

const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
const hashOf = new Map(manifest.operations.map((operation) => [operation.name, operation.id]));

let token = null;

async function newToken() {
  const basic = Buffer.from(
    `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
  ).toString('base64');
  const response = await fetch(new URL('/oauth/token', gateway), {
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`No token: ${body.error} (${body.error_description})`);
  return body.access_token;
}

/** Runs a registered operation by its hash; waits out a 429, renews an expired token once. */
async function run(operationName, variables, renewed = false) {
  const sha256Hash = hashOf.get(operationName);
  if (!sha256Hash) throw new Error(`${operationName} is not in the manifest.`);
  token ??= await newToken();
  const response = await fetch(new URL('/graphql', gateway), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-mash-purpose': 'CASE_HISTORY',
      'x-mash-case': caseSystemReference,
    },
    body: JSON.stringify({
      operationName,
      variables,
      extensions: { persistedQuery: { version: 1, sha256Hash } },
    }),
  });
  if (response.status === 401 && !renewed) {
    token = await newToken();
    return run(operationName, variables, true);
  }
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after') ?? 1);
    console.error(`Rate limited: retrying ${operationName} in ${seconds} s.`);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    return run(operationName, variables, renewed);
  }
  const body = await response.json();
  if (!body.data) {
    const [first] = body.errors ?? [];
    throw new Error(
      `${operationName}: HTTP ${response.status} ${first?.extensions?.code}: ${first?.message}`,
    );
  }
  return body;
}

/** Each withheld value's path and rule, from an answer's errors. */
function withheldOf(errors = []) {
  return errors.map((e) => ({
    path: (e.path ?? []).join('.'),
    code: e.extensions?.code,
    rule: e.extensions?.rule ?? null,
  }));
}

const picture = await run('CaseSystemHistory', { reference: caseReference });
const records = await run('SubjectHistory', { reference: caseReference });

const subjectById = new Map(picture.data.caseByReference.subjects.map((s) => [s.id, s]));
const history = [];
for (const subject of records.data.caseByReference.subjects) {
  const who = `${subject.givenName} ${subject.familyName}`;
  const add = (date, agency, what) => date && history.push({ date, agency, subject: who, what });
  for (const e of subject.socialCare?.episodes ?? [])
    add(
      e.startDate,
      'social-care',
      `${e.kind}${e.category ? ` ${e.category}` : ''}${e.outcome ? `, ${e.outcome}` : ''}`,
    );
  for (const i of subject.police?.incidents ?? [])
    add(
      i.occurredAt,
      'police',
      `incident ${i.type} (${i.role})${i.summary ? `: ${i.summary}` : ''}`,
    );
  for (const a of subject.police?.arrests ?? [])
    add(a.arrestedAt, 'police', `arrest: ${a.offence}${a.outcome ? ` (${a.outcome})` : ''}`);
  for (const c of subject.health?.contacts ?? [])
    add(c.occurredAt, 'health', `${c.kind}, ${c.service}`);
  for (const x of subject.education?.exclusions ?? [])
    add(x.startDate, 'education', `exclusion ${x.kind}`);
}
// Oldest first; equal dates in a stable order (agency, person, text).
history.sort((a, b) =>
  `${a.date.slice(0, 10)}|${a.agency}|${a.subject}|${a.what}`.localeCompare(
    `${b.date.slice(0, 10)}|${b.agency}|${b.subject}|${b.what}`,
  ),
);
const withheld = [...withheldOf(picture.errors), ...withheldOf(records.errors)];

if (env.MASH_OUTPUT === 'json') {
  console.log(JSON.stringify({ case: picture.data.caseByReference, history, withheld }, null, 2));
} else {
  const found = picture.data.caseByReference;
  console.log(
    `Case ${found.reference} (${caseSystemReference} in this system): ${found.status}, ${found.subjects.length} subjects`,
  );
  for (const subject of subjectById.values()) {
    const checks = Object.values(subject)
      .filter((value) => value && typeof value === 'object' && 'status' in value)
      .map(
        (check) =>
          `${check.agency} ${check.status}${check.match?.needsVerification ? ' (possible match)' : ''}`,
      );
    console.log(
      `  ${subject.givenName} ${subject.familyName} (${subject.roleInHousehold}, born ${subject.dateOfBirth}): ${checks.join(', ')}`,
    );
  }
  console.log(`History, oldest first (${history.length} dated records):`);
  for (const event of history)
    console.log(
      `  ${event.date.slice(0, 10)}  ${event.agency.padEnd(12)} ${event.subject}: ${event.what}`,
    );
  if (withheld.length > 0) {
    console.log(`Withheld (${withheld.length}), each with the rule that withheld it:`);
    for (const w of withheld) console.log(`  ${w.path}: ${w.code}${w.rule ? ` (${w.rule})` : ''}`);
  }
}
