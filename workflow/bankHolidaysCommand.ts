import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { BankHolidayCalendar, englandAndWalesBankHolidays } from './bankHolidays';

const USAGE = `Usage: npm run bank-holidays -- [--year Y] [--check FILE]
  --year Y      the bank holidays of year Y (default: this year and next)
  --check FILE  compare the clock with GOV.UK's list (a saved https://www.gov.uk/bank-holidays.json),
                for every year both know; exit code 1 on any difference`;

/** A weekday the MASH is closed: the days GOV.UK lists (it lists substitute days, not weekend ones). */
function closedWeekdays(calendar: BankHolidayCalendar, year: number): string[] {
  return calendar
    .holidaysIn(year)
    .map((h) => h.date)
    .filter((date) => DateTime.fromISO(date).weekday <= 5);
}

/**
 * The differences between the clock and GOV.UK's England and Wales list, year by year, for the
 * years both cover; and the years GOV.UK lists beyond the clock's horizon.
 */
export function compareWithGovUk(
  govUk: { 'england-and-wales'?: { events?: { date: string; title: string }[] } },
  calendar: BankHolidayCalendar = englandAndWalesBankHolidays(),
): { checkedYears: number[]; differences: string[]; beyondHorizon: number[] } {
  const events = govUk['england-and-wales']?.events;
  if (!Array.isArray(events) || events.length === 0)
    throw new Error(
      'The file has no "england-and-wales" events: is it GOV.UK\'s bank-holidays.json?',
    );
  const years = [...new Set(events.map((e) => Number(e.date.slice(0, 4))))].sort();
  const checkedYears = years.filter((y) => y >= calendar.firstYear && y <= calendar.lastYear);
  const differences: string[] = [];
  for (const year of checkedYears) {
    const theirs = events.filter((e) => e.date.startsWith(`${year}-`));
    const ours = closedWeekdays(calendar, year);
    for (const e of theirs)
      if (!ours.includes(e.date))
        differences.push(`${e.date} ${e.title}: on GOV.UK's list, not the clock's`);
    for (const date of ours)
      if (!theirs.some((e) => e.date === date))
        differences.push(`${date}: the clock's, not on GOV.UK's list`);
  }
  return { checkedYears, differences, beyondHorizon: years.filter((y) => y > calendar.lastYear) };
}

/**
 * `npm run bank-holidays -- [--year Y] [--check FILE]` (see USAGE): the England and Wales bank
 * holidays the deadline clock counts, and a check against GOV.UK's published list before its
 * horizon is raised (workflow/bankHolidays.ts).
 */
function main() {
  const { values } = parseArgs({
    options: { year: { type: 'string' }, check: { type: 'string' } },
  });
  const calendar = englandAndWalesBankHolidays();
  if (values.check) {
    const file = path.resolve(process.env.INIT_CWD ?? '.', values.check);
    const { checkedYears, differences, beyondHorizon } = compareWithGovUk(
      JSON.parse(readFileSync(file, 'utf8')),
      calendar,
    );
    for (const d of differences) console.log(d);
    console.log(
      `${differences.length === 0 ? 'The clock agrees with' : 'The clock DIFFERS from'} GOV.UK's list for ${checkedYears.join(', ') || 'no year'} (the clock knows ${calendar.firstYear}–${calendar.lastYear}).`,
    );
    if (beyondHorizon.length > 0)
      console.log(`GOV.UK also lists ${beyondHorizon.join(', ')}: beyond the clock's horizon.`);
    if (differences.length > 0) process.exitCode = 1;
    return;
  }
  const thisYear = DateTime.now().setZone('Europe/London').year;
  if (values.year !== undefined && !/^\d{4}$/.test(values.year))
    throw new Error(`--year must be a year like 2027 (got "${values.year}").`);
  const years = values.year ? [Number(values.year)] : [thisYear, thisYear + 1];
  for (const year of years) {
    for (const h of calendar.holidaysIn(year))
      console.log(`${h.date}  ${DateTime.fromISO(h.date).toFormat('ccc')}  ${h.name}`);
  }
  console.log(
    `Source: ${calendar.source}; known years ${calendar.firstYear}–${calendar.lastYear}.`,
  );
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n${USAGE}`);
    process.exit(1);
  }
}
