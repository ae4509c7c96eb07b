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
 *    agency's check for each subject; then the case's chronology, every agency's events merged in
 *    time, page by page (pageInfo.endCursor as `after` until hasNextPage is false), each event with
 *    its summary or the rule that withheld it, and the events withheld whole counted by rule.
 * 4. The change feed, per subject: its cursors are taken *before* the chronology is pulled, so a
 *    record written during the pull is in the next poll (perhaps twice over: keep events by agency
 *    and record reference). Polled MASH_POLLS times, MASH_POLL_SECONDS apart; a record several
 *    subjects share is printed once. With MASH_CURSOR_FILE the cursors are read from it, when it
 *    exists, and written back: the next run goes on from where this one stopped.
 * 5. A 429 is waited out for its Retry-After, then the request is sent again.
 *
 * Settings (environment): MASH_GATEWAY (default http://localhost:$PORT, PORT 4000),
 * MASH_CLIENT_ID (case-system.social-care.demo), MASH_CLIENT_SECRET (required; the demo's:
 * npm run -s client-secret), MASH_CASE_SYSTEM_REFERENCE (the case in your system, CSC-000003),
 * MASH_CASE_REFERENCE (the hub's reference it was linked with, MASH-2026-000003), MASH_MANIFEST,
 * MASH_PAGE_SIZE (20, at most 100), MASH_POLLS (1), MASH_POLL_SECONDS (10), MASH_CURSOR_FILE,
 * MASH_OUTPUT=json (the same as one JSON document).
 */
import { readFile, writeFile } from 'node:fs/promises';

const env = process.env;
const gateway = env.MASH_GATEWAY ?? `http://localhost:${env.PORT ?? 4000}`;
const clientId = env.MASH_CLIENT_ID ?? 'case-system.social-care.demo';
const clientSecret = env.MASH_CLIENT_SECRET;
const caseSystemReference = env.MASH_CASE_SYSTEM_REFERENCE ?? 'CSC-000003';
const caseReference = env.MASH_CASE_REFERENCE ?? 'MASH-2026-000003';
const pageSize = Number(env.MASH_PAGE_SIZE ?? 20);
const polls = Number(env.MASH_POLLS ?? 1);
const pollSeconds = Number(env.MASH_POLL_SECONDS ?? 10);
const cursorFile = env.MASH_CURSOR_FILE;
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

/**
 * A summary withheld is null with an error at its path: the rule goes beside its event (an event
 * withheld whole is not on the wire, only counted); any other withheld value is listed apart.
 */
function summaryWithheldAt(event, error) {
  if (event && error.path?.at(-1) === 'summary')
    event.summaryWithheld ??= { code: error.extensions?.code, rule: error.extensions?.rule };
  else withheld.push(...withheldOf([error]));
}

/** The same event twice (two pages, two subjects' feeds) is one: agency and its record reference. */
const eventKey = (event) => `${event.agency}|${event.recordReference}`;

const picture = await run('CaseSystemHistory', { reference: caseReference });
const found = picture.data.caseByReference;
const nameOf = new Map(found.subjects.map((s) => [s.id, `${s.givenName} ${s.familyName}`]));
const withheld = withheldOf(picture.errors);

// The change feed's starting cursors, before the pull (see 4 above).
async function changes(since) {
  const body = await run('SubjectChronologyChanges', { reference: caseReference, since });
  const subjects = body.data.caseByReference.subjects;
  for (const e of body.errors ?? []) {
    const [, , index, , , at] = e.path ?? [];
    summaryWithheldAt(subjects[index]?.chronologyChanges?.events[at], e);
  }
  return subjects;
}
let cursors = {};
if (cursorFile) {
  try {
    cursors = JSON.parse(await readFile(cursorFile, 'utf8'));
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
}
if (found.subjects.some((s) => !cursors[s.id]))
  for (const subject of await changes(null))
    cursors[subject.id] ??= subject.chronologyChanges?.cursor ?? null;

// The chronology, page by page.
const events = [];
let page = null;
let pages = 0;
do {
  const body = await run('CaseChronology', {
    reference: caseReference,
    first: pageSize,
    after: page?.pageInfo.endCursor ?? null,
  });
  page = body.data.caseByReference.chronology;
  for (const e of body.errors ?? []) summaryWithheldAt(page.edges[e.path?.[3]]?.node, e);
  pages += 1;
  events.push(...page.edges.map((edge) => edge.node));
} while (page.pageInfo.hasNextPage);
const chronology = {
  totalCount: page.totalCount,
  pages,
  events,
  agencies: page.agencies,
  withheld: page.withheld,
};

// Polls: each subject with its own cursor; what several subjects share, once.
const polled = [];
for (let poll = 1; poll <= polls; poll++) {
  if (poll > 1) await new Promise((resolve) => setTimeout(resolve, pollSeconds * 1000));
  const changed = new Map();
  for (const subject of found.subjects) {
    const answer = (await changes(cursors[subject.id])).find((s) => s.id === subject.id);
    const feed = answer?.chronologyChanges;
    if (!feed) continue;
    cursors[subject.id] = feed.cursor;
    for (const event of feed.events) {
      const seen = changed.get(eventKey(event));
      if (seen) seen.subjectIds = [...new Set([...seen.subjectIds, ...event.subjectIds])];
      else changed.set(eventKey(event), { ...event });
    }
  }
  polled.push({ poll, at: new Date().toISOString(), events: [...changed.values()] });
}
if (cursorFile) await writeFile(cursorFile, JSON.stringify(cursors, null, 2));

const who = (event) => event.subjectIds.map((id) => nameOf.get(id) ?? id).join(', ');
// The summary the case system may see, and the rule that withheld a richer one (or the only one).
const rule = (denial) => `${denial.code}, ${denial.rule}`;
const what = (event) =>
  event.summary === null
    ? `(summary withheld: ${event.summaryWithheld ? rule(event.summaryWithheld) : 'WITHHELD'})`
    : `${event.summary}${event.summaryWithheld ? ` (${event.summaryTier}; more withheld: ${rule(event.summaryWithheld)})` : ''}`;
const line = (event) =>
  `  ${event.occurredAt.slice(0, 10)}  ${event.agency.padEnd(12)} ${event.kind} (${who(event)}): ${what(event)}`;

if (env.MASH_OUTPUT === 'json') {
  console.log(
    JSON.stringify({ case: found, chronology, changes: polled, cursors, withheld }, null, 2),
  );
} else {
  console.log(
    `Case ${found.reference} (${caseSystemReference} in this system): ${found.status}, ${found.subjects.length} subjects`,
  );
  for (const subject of found.subjects) {
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
  console.log(
    `Chronology, oldest first (${chronology.totalCount} events, ${pages} page${pages === 1 ? '' : 's'} of ${pageSize}):`,
  );
  for (const event of events) console.log(line(event));
  for (const w of chronology.withheld)
    console.log(
      `  withheld by ${w.agency} for ${nameOf.get(w.subjectId) ?? w.subjectId}: ${w.count ?? 'not counted'} (${w.code}, ${w.rule})`,
    );
  for (const { poll, at, events: changed } of polled) {
    console.log(`Changes, poll ${poll} at ${at}: ${changed.length}`);
    for (const event of changed) console.log(line(event));
  }
  if (withheld.length > 0) {
    console.log(`Withheld (${withheld.length}), each with the rule that withheld it:`);
    for (const w of withheld) console.log(`  ${w.path}: ${w.code}${w.rule ? ` (${w.rule})` : ''}`);
  }
}
