import { DateTime } from 'luxon';

export type Rag = 'RED' | 'AMBER' | 'GREEN';

/**
 * How long the agencies have for their checks once a MASH manager has set the RAG rating, and on
 * which clock. This is configuration: a hub replaces the scheme with its own published one.
 *
 * Default: Merton MASH's published RAG timescales (red 2 hours, amber 6 hours, green 24 hours).
 * Merton does not say which clock; we follow Luton's MASH policy, which measures timescales in
 * MASH working hours except red, which is worked through (out of hours by the emergency duty team).
 */
export interface TimelinessScheme {
  name: string;
  checks: Record<Rag, { hours: number; clock: 'ELAPSED' | 'WORKING_HOURS' }>;
  /** Working Together 2023: a decision on every referral within one working day of receipt. */
  decisionWorkingDays: number;
  workingHours: { zone: string; start: number; end: number; days: number[] };
  /** Days the MASH does not count as working days (England and Wales bank holidays). */
  bankHolidays: string[];
}

export const MERTON_SCHEME: TimelinessScheme = {
  name: 'Merton MASH RAG timescales (clock as in Luton MASH policy)',
  checks: {
    RED: { hours: 2, clock: 'ELAPSED' },
    AMBER: { hours: 6, clock: 'WORKING_HOURS' },
    GREEN: { hours: 24, clock: 'WORKING_HOURS' },
  },
  decisionWorkingDays: 1,
  // Monday to Friday, 09:00–17:00 UK time (1 = Monday, as ISO and Luxon number them).
  workingHours: { zone: 'Europe/London', start: 9, end: 17, days: [1, 2, 3, 4, 5] },
  // England and Wales bank holidays, from GOV.UK, for the years the synthetic data and tests use.
  bankHolidays: [
    '2025-01-01',
    '2025-04-18',
    '2025-04-21',
    '2025-05-05',
    '2025-05-26',
    '2025-08-25',
    '2025-12-25',
    '2025-12-26',
    '2026-01-01',
    '2026-04-03',
    '2026-04-06',
    '2026-05-04',
    '2026-05-25',
    '2026-08-31',
    '2026-12-25',
    '2026-12-28',
    '2027-01-01',
    '2027-03-26',
    '2027-03-29',
    '2027-05-03',
    '2027-05-31',
    '2027-08-30',
    '2027-12-27',
    '2027-12-28',
  ],
};

/** When the agency checks are due, from the moment the RAG rating was set. */
export function checksDueAt(triagedAt: Date, rag: Rag, scheme = MERTON_SCHEME): Date {
  const { hours, clock } = scheme.checks[rag];
  return clock === 'ELAPSED'
    ? new Date(triagedAt.getTime() + hours * 3_600_000)
    : addWorkingHours(triagedAt, hours, scheme);
}

/** When the MASH must have decided on a referral: the given number of working days after receipt. */
export function decisionDueAt(receivedAt: Date, scheme = MERTON_SCHEME): Date {
  const { start, end } = scheme.workingHours;
  return addWorkingHours(receivedAt, scheme.decisionWorkingDays * (end - start), scheme);
}

/**
 * Adds working hours: time outside working hours, weekends and bank holidays does not count, so
 * a referral received on Friday at 16:00 with 2 working hours has until Monday 10:00.
 */
export function addWorkingHours(from: Date, hours: number, scheme = MERTON_SCHEME): Date {
  const { zone, start, end } = scheme.workingHours;
  let cursor: DateTime = DateTime.fromJSDate(from, { zone });
  let remainingMinutes = Math.round(hours * 60);
  for (;;) {
    cursor = nextWorkingMoment(cursor, scheme);
    const closes = cursor.set({ hour: end, minute: 0, second: 0, millisecond: 0 });
    const available = closes.diff(cursor, 'minutes').minutes;
    if (remainingMinutes <= available) return cursor.plus({ minutes: remainingMinutes }).toJSDate();
    remainingMinutes -= available;
    cursor = closes.plus({ days: 1 }).set({ hour: start, minute: 0 });
  }
}

/** Whether the MASH is working at this moment (the clock for amber and green is running). */
export function isWorkingTime(at: Date, scheme = MERTON_SCHEME): boolean {
  const { zone } = scheme.workingHours;
  const local = DateTime.fromJSDate(at, { zone });
  return nextWorkingMoment(local, scheme).toMillis() === local.toMillis();
}

function nextWorkingMoment(moment: DateTime, scheme: TimelinessScheme): DateTime {
  const { start, end, days } = scheme.workingHours;
  let cursor: DateTime = moment;
  for (;;) {
    const opens = cursor.set({ hour: start, minute: 0, second: 0, millisecond: 0 });
    const closes = cursor.set({ hour: end, minute: 0, second: 0, millisecond: 0 });
    const workingDay =
      days.includes(cursor.weekday) && !scheme.bankHolidays.includes(cursor.toISODate() ?? '');
    if (workingDay && cursor < closes) return cursor < opens ? opens : cursor;
    cursor = cursor.plus({ days: 1 }).set({ hour: start, minute: 0, second: 0, millisecond: 0 });
  }
}
