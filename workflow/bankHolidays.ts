import Holidays from 'date-holidays';
import { GraphQLError } from 'graphql';

/**
 * England and Wales bank holidays for the deadline clock, from the `date-holidays` package
 * (country GB, region ENG, public holidays only), never a hand-typed list that quietly runs out.
 *
 * The package computes the statutory pattern for any year and lists the one-off holidays
 * proclaimed so far (2020's moved VE Day, 2022's jubilee and state funeral, 2023's coronation) and
 * the substitute days when Christmas, Boxing Day or New Year's Day fall at a weekend. The clock
 * still refuses years it cannot vouch for:
 * - before 2018: the package gets earlier one-off years wrong (no 2002 jubilee or 2011 royal
 *   wedding; 2012's moved spring holiday on the wrong day); GOV.UK's published list starts in 2018;
 * - after the horizon below: a one-off holiday may yet be proclaimed. Raise it only with a newer
 *   `date-holidays` checked against https://www.gov.uk/bank-holidays.json.
 */
export const BANK_HOLIDAYS_FIRST_YEAR = 2018;
export const BANK_HOLIDAYS_LAST_YEAR = 2030;

export interface BankHoliday {
  /** The day, `YYYY-MM-DD` (a weekend day for a holiday whose substitute is the next weekday). */
  date: string;
  name: string;
  substitute: boolean;
}

export interface BankHolidayCalendar {
  source: string;
  firstYear: number;
  lastYear: number;
  /** Every bank holiday of a year; throws `BANK_HOLIDAYS_UNKNOWN` for a year outside the range. */
  holidaysIn(year: number): BankHoliday[];
  /** Whether a London calendar day (`YYYY-MM-DD`) is a bank holiday; throws like `holidaysIn`. */
  isBankHoliday(isoDate: string): boolean;
}

/** The clock was asked about a year whose bank holidays it does not know. */
export function unknownYear(year: number, calendar: BankHolidayCalendar): GraphQLError {
  return new GraphQLError(
    `The deadline clock knows England and Wales bank holidays for ${calendar.firstYear}–${calendar.lastYear} only (${calendar.source}); it was asked about ${year}. Update date-holidays and the horizon in workflow/bankHolidays.ts.`,
    {
      extensions: {
        code: 'BANK_HOLIDAYS_UNKNOWN',
        year,
        firstYear: calendar.firstYear,
        lastYear: calendar.lastYear,
      },
    },
  );
}

export function englandAndWalesBankHolidays(
  firstYear = BANK_HOLIDAYS_FIRST_YEAR,
  lastYear = BANK_HOLIDAYS_LAST_YEAR,
): BankHolidayCalendar {
  const source = new Holidays('GB', 'ENG', { types: ['public'] });
  const byYear = new Map<number, BankHoliday[]>();
  const calendar: BankHolidayCalendar = {
    source: 'date-holidays, GB-ENG public holidays',
    firstYear,
    lastYear,
    holidaysIn(year) {
      if (!Number.isInteger(year) || year < firstYear || year > lastYear)
        throw unknownYear(year, calendar);
      let holidays = byYear.get(year);
      if (!holidays) {
        holidays = source.getHolidays(year).map((h) => ({
          // `date` is the local day, "YYYY-MM-DD 00:00:00".
          date: h.date.slice(0, 10),
          name: h.name,
          substitute: h.substitute === true,
        }));
        byYear.set(year, holidays);
      }
      return holidays;
    },
    isBankHoliday(isoDate) {
      return calendar.holidaysIn(Number(isoDate.slice(0, 4))).some((h) => h.date === isoDate);
    },
  };
  return calendar;
}
