import { DateTime } from 'luxon';
import { BankHolidayCalendar, englandAndWalesBankHolidays, unknownYear } from './bankHolidays';

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
  /**
   * Wandsworth: a child-protection referral may come without its Early Help Assessment, which must
   * follow within 48 hours. The MASH clock counts those hours on working days only: two working
   * days, so a weekend or a bank holiday does not eat into them.
   */
  earlyHelpAssessmentWorkingDays: number;
  workingHours: { zone: string; start: number; end: number; days: number[] };
  /** Days the MASH does not count as working days (England and Wales bank holidays). */
  bankHolidays: BankHolidayCalendar;
}

export const MERTON_SCHEME: TimelinessScheme = {
  name: 'Merton MASH RAG timescales (clock as in Luton MASH policy)',
  checks: {
    RED: { hours: 2, clock: 'ELAPSED' },
    AMBER: { hours: 6, clock: 'WORKING_HOURS' },
    GREEN: { hours: 24, clock: 'WORKING_HOURS' },
  },
  decisionWorkingDays: 1,
  earlyHelpAssessmentWorkingDays: 2,
  // Monday to Friday, 09:00–17:00 UK time (1 = Monday, as ISO and Luxon number them).
  workingHours: { zone: 'Europe/London', start: 9, end: 17, days: [1, 2, 3, 4, 5] },
  bankHolidays: englandAndWalesBankHolidays(),
};

/**
 * The scheme in force: Merton's unless the hub sets its own in the mash service's environment:
 *   MASH_CHECK_DEADLINES="RED=2h elapsed,AMBER=6h working,GREEN=24h working"
 *   MASH_WORKING_HOURS="09-17"          (whole hours, UK time, Monday to Friday)
 *   MASH_DECISION_WORKING_DAYS="1"
 * Anything malformed stops the service with a message naming the setting, and so does a clock
 * that does not know this year's bank holidays (see `clockCovers`).
 */
export function timelinessScheme(
  env: NodeJS.ProcessEnv = process.env,
  now = new Date(),
): TimelinessScheme {
  const { MASH_CHECK_DEADLINES, MASH_WORKING_HOURS, MASH_DECISION_WORKING_DAYS } = env;
  if (!MASH_CHECK_DEADLINES && !MASH_WORKING_HOURS && !MASH_DECISION_WORKING_DAYS)
    return clockCovers(MERTON_SCHEME, now);
  const scheme: TimelinessScheme = {
    ...MERTON_SCHEME,
    name: "The hub's own timescales (MASH_CHECK_DEADLINES)",
    checks: { ...MERTON_SCHEME.checks },
    workingHours: { ...MERTON_SCHEME.workingHours },
  };
  for (const entry of (MASH_CHECK_DEADLINES ?? '').split(',').filter((e) => e.trim())) {
    const parsed = /^\s*(RED|AMBER|GREEN)\s*=\s*(\d+(?:\.\d+)?)h\s+(elapsed|working)\s*$/i.exec(
      entry,
    );
    if (!parsed)
      throw new Error(
        `Configuration: MASH_CHECK_DEADLINES entry "${entry}" is not like "AMBER=6h working" (RAG=hours elapsed|working).`,
      );
    scheme.checks[parsed[1].toUpperCase() as Rag] = {
      hours: Number(parsed[2]),
      clock: parsed[3].toLowerCase() === 'elapsed' ? 'ELAPSED' : 'WORKING_HOURS',
    };
  }
  if (MASH_WORKING_HOURS) {
    const hours = /^\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$/.exec(MASH_WORKING_HOURS);
    const [start, end] = hours ? [Number(hours[1]), Number(hours[2])] : [NaN, NaN];
    if (!(start >= 0 && end <= 24 && start < end))
      throw new Error(
        `Configuration: MASH_WORKING_HOURS must be whole hours like "09-17" (got "${MASH_WORKING_HOURS}").`,
      );
    scheme.workingHours = { ...scheme.workingHours, start, end };
  }
  if (MASH_DECISION_WORKING_DAYS) {
    const days = Number(MASH_DECISION_WORKING_DAYS);
    if (!Number.isInteger(days) || days < 1 || days > 10)
      throw new Error(
        `Configuration: MASH_DECISION_WORKING_DAYS must be a whole number of days from 1 to 10 (got "${MASH_DECISION_WORKING_DAYS}").`,
      );
    scheme.decisionWorkingDays = days;
  }
  return clockCovers(scheme, now);
}

/**
 * The service refuses to start in a year whose bank holidays the clock does not know, and says
 * so loudly when next year's are unknown (a deadline set in late December runs into January;
 * such a deadline fails with `BANK_HOLIDAYS_UNKNOWN` rather than count a holiday as working).
 */
export function clockCovers(
  scheme: TimelinessScheme,
  now: Date,
  warn: (message: string) => void = console.warn,
): TimelinessScheme {
  const { zone } = scheme.workingHours;
  const year = DateTime.fromJSDate(now, { zone }).year;
  const calendar = scheme.bankHolidays;
  if (year < calendar.firstYear || year > calendar.lastYear)
    throw new Error(`Configuration: ${unknownYear(year, calendar).message}`);
  if (year + 1 > calendar.lastYear)
    warn(
      `WARNING: the deadline clock knows bank holidays up to ${calendar.lastYear} only; deadlines that run into ${year + 1} will be refused. Update date-holidays and the horizon in workflow/bankHolidays.ts.`,
    );
  return scheme;
}

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
 * When a child-protection referral's missing Early Help Assessment is due: 48 hours after receipt
 * on the MASH clock (two working days; see `earlyHelpAssessmentWorkingDays`).
 */
export function earlyHelpAssessmentDueAt(receivedAt: Date, scheme = MERTON_SCHEME): Date {
  const { start, end } = scheme.workingHours;
  return addWorkingHours(receivedAt, scheme.earlyHelpAssessmentWorkingDays * (end - start), scheme);
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
      days.includes(cursor.weekday) && !scheme.bankHolidays.isBankHoliday(cursor.toISODate()!);
    if (workingDay && cursor < closes) return cursor < opens ? opens : cursor;
    cursor = cursor.plus({ days: 1 }).set({ hour: start, minute: 0, second: 0, millisecond: 0 });
  }
}
