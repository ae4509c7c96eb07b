import { GraphQLError } from 'graphql';
import { PICTURE_WINDOWS_MONTHS, Trend, trendOf } from '../../policies/chronology';
import type { AgencyEvent, AgencyEvents } from '../../schema/agencyEvents';
import { decodeCursor, encodeCursor } from '../../schema/cursor';

/**
 * The hub's side of the chronology: merging what each agency answered for each subject (already
 * decided per event by the agency, `schema/agencyEvents.ts`), in time order, filtered and paged.
 * Pure functions over the `@requires` data: no database, no policy of its own.
 */

/** What the hub received for one subject: each agency's events, or null when it could not answer. */
export interface SubjectSources {
  subjectId: string;
  /** By agency name, every agency that declares events; null: the agency did not answer. */
  sources: Map<string, AgencyEvents | null>;
}

/** Received over `@requires` as JSON: the dates are strings. */
type Received<T> = { [K in keyof T]: T[K] extends Date ? Date | string : T[K] };

export interface MergedEvent {
  agency: string;
  occurredAt: Date;
  kind: string;
  summary: string | null;
  summaryTier: string | null;
  summaryWithheld: { code: string; rule: string; release: string | null } | null;
  recordReference: string;
  updatedAt: Date;
  /** The subjects the record concerns (a household's incident names several). */
  subjectIds: string[];
}

export interface AgencyStatus {
  agency: string;
  subjectId: string;
  status: string;
  reason: string | null;
}

export interface WithheldCount {
  agency: string;
  subjectId: string;
  code: string;
  rule: string;
  release: string | null;
  count: number | null;
}

export interface Merged {
  events: MergedEvent[];
  agencies: AgencyStatus[];
  withheld: WithheldCount[];
}

const UNAVAILABLE_REASON =
  'The agency could not be asked (down, timed out or failed): its events are missing from this chronology, not absent.';

/**
 * Every subject's events from every agency, one event per agency record (a record several
 * subjects share appears once, naming them all), in chronology order.
 */
export function mergeSources(subjects: SubjectSources[]): Merged {
  const byRecord = new Map<string, MergedEvent>();
  const agencies: AgencyStatus[] = [];
  const withheld: WithheldCount[] = [];
  for (const { subjectId, sources } of subjects) {
    for (const [agency, answer] of sources) {
      if (!answer) {
        agencies.push({ agency, subjectId, status: 'UNAVAILABLE', reason: UNAVAILABLE_REASON });
        continue;
      }
      agencies.push({ agency, subjectId, status: answer.status, reason: answer.reason });
      for (const w of answer.withheld) withheld.push({ agency, subjectId, ...w });
      for (const event of answer.events as Received<AgencyEvent>[]) {
        const key = `${agency}|${event.recordReference}`;
        const seen = byRecord.get(key);
        if (seen) {
          if (!seen.subjectIds.includes(subjectId)) seen.subjectIds.push(subjectId);
          continue;
        }
        byRecord.set(key, {
          ...event,
          agency,
          occurredAt: new Date(event.occurredAt),
          updatedAt: new Date(event.updatedAt),
          subjectIds: [subjectId],
        });
      }
    }
  }
  return { events: [...byRecord.values()].sort(inChronologyOrder), agencies, withheld };
}

/**
 * Time order, oldest first; equal times by agency, then by the agency's record reference: a total
 * order, so a page boundary between two events at the same moment is the same on every request.
 */
export function inChronologyOrder(a: MergedEvent, b: MergedEvent): number {
  return (
    a.occurredAt.getTime() - b.occurredAt.getTime() ||
    compare(a.agency, b.agency) ||
    compare(a.recordReference, b.recordReference)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface ChronologyFilter {
  agencies?: string[] | null;
  kinds?: string[] | null;
  from?: Date | null;
  to?: Date | null;
}

/** The filters, checked: a bad one is the client's mistake, named. */
export function checkFilter(filter: ChronologyFilter, knownAgencies: string[]): void {
  const unknown = (filter.agencies ?? []).filter((a) => !knownAgencies.includes(a));
  if (unknown.length)
    throw badInput(
      `No agency gives events as ${unknown.join(', ')}: use ${knownAgencies.join(', ')}.`,
      'agencies',
    );
  if (filter.from && filter.to && filter.from > filter.to)
    throw badInput('to is before from.', 'to');
}

/** Agencies and kinds as listed; from and to inclusive. Withheld counts follow the agency filter only. */
export function applyFilter(merged: Merged, filter: ChronologyFilter): Merged {
  const agencyOk = (agency: string) => !filter.agencies?.length || filter.agencies.includes(agency);
  return {
    events: merged.events.filter(
      (e) =>
        agencyOk(e.agency) &&
        (!filter.kinds?.length || filter.kinds.includes(e.kind)) &&
        (!filter.from || e.occurredAt >= filter.from) &&
        (!filter.to || e.occurredAt <= filter.to),
    ),
    agencies: merged.agencies.filter((a) => agencyOk(a.agency)),
    withheld: merged.withheld.filter((w) => agencyOk(w.agency)),
  };
}

export const MAX_PAGE = 100;

/** The cursor of an event: its place in the order, so a page never skips or repeats one. */
export function cursorOf(event: MergedEvent): string {
  return encodeCursor(
    'chronology',
    JSON.stringify([event.occurredAt.toISOString(), event.agency, event.recordReference]),
  );
}

/** One Relay page: the events after `after` in chronology order, at most `first`. */
export function page(
  events: MergedEvent[],
  first: number,
  after: string | null | undefined,
): { edges: { cursor: string; node: MergedEvent }[]; hasNextPage: boolean } {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE)
    throw badInput(`first must be a whole number from 1 to ${MAX_PAGE}.`, 'first');
  let start = 0;
  if (after) {
    const place = placeOf(after);
    start = events.findIndex((e) => inChronologyOrder(e, place) > 0);
    if (start === -1) start = events.length;
  }
  const slice = events.slice(start, start + first);
  return {
    edges: slice.map((node) => ({ cursor: cursorOf(node), node })),
    hasNextPage: start + first < events.length,
  };
}

function placeOf(after: string): MergedEvent {
  const decoded = decodeCursor('chronology', after);
  let place: unknown;
  try {
    place = JSON.parse(decoded);
  } catch {
    place = null;
  }
  if (
    !Array.isArray(place) ||
    place.length !== 3 ||
    !place.every((p) => typeof p === 'string') ||
    Number.isNaN(Date.parse(place[0] as string))
  )
    throw badInput('after is not a cursor this API gave out.', 'after');
  const [at, agency, recordReference] = place as string[];
  return {
    occurredAt: new Date(at),
    agency,
    recordReference,
  } as MergedEvent;
}

/**
 * The change feed's cursor: per agency, the latest `updatedAt` seen and the records seen at that
 * very moment. The next poll returns what changed after it, or at it but not yet seen: exactly
 * the events added or changed since, even when several share a timestamp.
 */
type Watermarks = Record<string, { at: string; seen: string[] }>;

export function changesSince(
  events: MergedEvent[],
  since: string | null | undefined,
): { events: MergedEvent[]; cursor: string } {
  const marks: Watermarks = since ? watermarksOf(since) : {};
  const changed = events.filter((e) => {
    const mark = marks[e.agency];
    if (!mark) return true;
    const at = Date.parse(mark.at);
    const t = e.updatedAt.getTime();
    return t > at || (t === at && !mark.seen.includes(e.recordReference));
  });
  const next: Watermarks = { ...marks };
  for (const e of events) {
    const mark = next[e.agency];
    const t = e.updatedAt.getTime();
    if (!mark || t > Date.parse(mark.at))
      next[e.agency] = { at: e.updatedAt.toISOString(), seen: [e.recordReference] };
    else if (t === Date.parse(mark.at) && !mark.seen.includes(e.recordReference))
      next[e.agency] = { ...mark, seen: [...mark.seen, e.recordReference] };
  }
  return {
    events: [...changed].sort(
      (a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || inChronologyOrder(a, b),
    ),
    cursor: encodeCursor('changes', JSON.stringify(next)),
  };
}

function watermarksOf(since: string): Watermarks {
  let marks: unknown;
  try {
    marks = JSON.parse(decodeCursor('changes', since));
  } catch (error) {
    if (error instanceof GraphQLError)
      throw badInput(error.message.replace('after', 'since'), 'since');
    marks = null;
  }
  const valid =
    marks !== null &&
    typeof marks === 'object' &&
    !Array.isArray(marks) &&
    Object.values(marks).every(
      (m: { at?: unknown; seen?: unknown }) =>
        typeof m?.at === 'string' &&
        !Number.isNaN(Date.parse(m.at)) &&
        Array.isArray(m.seen) &&
        m.seen.every((s) => typeof s === 'string'),
    );
  if (!valid) throw badInput('since is not a cursor this API gave out.', 'since');
  return marks as Watermarks;
}

export interface WindowCount {
  months: number;
  count: number;
  previous: number;
  trend: Trend;
}

export interface EventCount {
  agency: string;
  kind: string;
  total: number;
  first: Date;
  last: Date;
  windows: WindowCount[];
}

/**
 * Counts of the events the caller may see, by agency and kind: over all time, and over each
 * rolling window back from `now` (the hub's clock) against the window before it (`trendOf`).
 * An event in the future of `now` (a date typed wrong) counts in the total, in no window.
 */
export function countEvents(events: MergedEvent[], now: Date): EventCount[] {
  const groups = new Map<string, MergedEvent[]>();
  for (const e of events) {
    const key = `${e.agency}|${e.kind}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(e);
  }
  return [...groups.values()].map((group) => {
    const times = group.map((e) => e.occurredAt.getTime());
    return {
      agency: group[0].agency,
      kind: group[0].kind,
      total: group.length,
      first: new Date(Math.min(...times)),
      last: new Date(Math.max(...times)),
      windows: PICTURE_WINDOWS_MONTHS.map((months) => {
        const start = monthsBefore(now, months).getTime();
        const before = monthsBefore(now, 2 * months).getTime();
        const count = times.filter((t) => t > start && t <= now.getTime()).length;
        const previous = times.filter((t) => t > before && t <= start).length;
        return { months, count, previous, trend: trendOf(count, previous) };
      }),
    };
  });
}

/** The same moment N calendar months earlier (clamped to the month's last day). */
export function monthsBefore(date: Date, months: number): Date {
  const d = new Date(date);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

function badInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}
