import { DateTime } from 'luxon';
import {
  BANK_HOLIDAYS_FIRST_YEAR,
  BANK_HOLIDAYS_LAST_YEAR,
  englandAndWalesBankHolidays,
} from '../bankHolidays';
import { compareWithGovUk } from '../bankHolidaysCommand';

const calendar = englandAndWalesBankHolidays();

// The weekdays the MASH is closed for a bank holiday, as GOV.UK publishes them for England and
// Wales (https://www.gov.uk/bank-holidays, 2018–2027), and from the statutory pattern after that.
const CLOSED_WEEKDAYS: Record<number, string[]> = {
  2018: ['01-01', '03-30', '04-02', '05-07', '05-28', '08-27', '12-25', '12-26'],
  2019: ['01-01', '04-19', '04-22', '05-06', '05-27', '08-26', '12-25', '12-26'],
  // VE Day: the early May holiday moved to Friday 8 May; Boxing Day (Saturday) substituted Monday.
  2020: ['01-01', '04-10', '04-13', '05-08', '05-25', '08-31', '12-25', '12-28'],
  // Christmas and Boxing Day at the weekend: both substituted.
  2021: ['01-01', '04-02', '04-05', '05-03', '05-31', '08-30', '12-27', '12-28'],
  // Platinum Jubilee (spring holiday moved to 2 June, and 3 June), the Queen's state funeral.
  2022: ['01-03', '04-15', '04-18', '05-02', '06-02', '06-03', '08-29', '09-19', '12-26', '12-27'],
  // New Year's Day on a Sunday; the King's coronation.
  2023: ['01-02', '04-07', '04-10', '05-01', '05-08', '05-29', '08-28', '12-25', '12-26'],
  2024: ['01-01', '03-29', '04-01', '05-06', '05-27', '08-26', '12-25', '12-26'],
  2025: ['01-01', '04-18', '04-21', '05-05', '05-26', '08-25', '12-25', '12-26'],
  // Boxing Day on a Saturday: Monday 28 December instead.
  2026: ['01-01', '04-03', '04-06', '05-04', '05-25', '08-31', '12-25', '12-28'],
  2027: ['01-01', '03-26', '03-29', '05-03', '05-31', '08-30', '12-27', '12-28'],
  // New Year's Day on a Saturday: Monday 3 January.
  2028: ['01-03', '04-14', '04-17', '05-01', '05-29', '08-28', '12-25', '12-26'],
  2029: ['01-01', '03-30', '04-02', '05-07', '05-28', '08-27', '12-25', '12-26'],
  2030: ['01-01', '04-19', '04-22', '05-06', '05-27', '08-26', '12-25', '12-26'],
};

const isWeekday = (date: string) => DateTime.fromISO(date).weekday <= 5;

describe('England and Wales bank holidays (date-holidays, GB-ENG public)', () => {
  test('the table covers exactly the years the clock claims to know', () => {
    expect(Object.keys(CLOSED_WEEKDAYS).map(Number)).toEqual(
      Array.from(
        { length: BANK_HOLIDAYS_LAST_YEAR - BANK_HOLIDAYS_FIRST_YEAR + 1 },
        (_, i) => BANK_HOLIDAYS_FIRST_YEAR + i,
      ),
    );
  });

  test.each(Object.entries(CLOSED_WEEKDAYS))('%s', (year, days) => {
    const closed = calendar
      .holidaysIn(Number(year))
      .map((h) => h.date)
      .filter(isWeekday);
    expect(closed).toEqual(days.map((day) => `${year}-${day}`));
  });

  test.each([
    ['2026-12-28', 'Boxing Day (substitute day)'],
    ['2027-12-27', 'Christmas Day (substitute day)'],
    ['2027-12-28', 'Boxing Day (substitute day)'],
    ['2028-01-03', "New Year's Day (substitute day)"],
  ])('%s is a substitute day (%s)', (date, name) => {
    expect(calendar.holidaysIn(Number(date.slice(0, 4)))).toContainEqual({
      date,
      name,
      substitute: true,
    });
    expect(calendar.isBankHoliday(date)).toBe(true);
  });

  test('public holidays only: no observances (Mothering Sunday, Easter Sunday)', () => {
    expect(calendar.isBankHoliday('2027-03-07')).toBe(false);
    expect(calendar.isBankHoliday('2027-03-28')).toBe(false);
    expect(
      calendar.holidaysIn(2027).every((h) => !/Mother|Father|Easter Sunday/.test(h.name)),
    ).toBe(true);
  });

  test.each([
    [BANK_HOLIDAYS_LAST_YEAR + 1, `${BANK_HOLIDAYS_LAST_YEAR + 1}-01-01`],
    [BANK_HOLIDAYS_FIRST_YEAR - 1, `${BANK_HOLIDAYS_FIRST_YEAR - 1}-12-25`],
    [2012, '2012-06-04'],
  ])('refuses a year it does not know: %s', (year, date) => {
    const refusal = {
      message: expect.stringContaining(
        `knows England and Wales bank holidays for ${BANK_HOLIDAYS_FIRST_YEAR}–${BANK_HOLIDAYS_LAST_YEAR} only`,
      ),
      extensions: expect.objectContaining({ code: 'BANK_HOLIDAYS_UNKNOWN', year }),
    };
    expect(() => calendar.holidaysIn(year)).toThrow(expect.objectContaining(refusal));
    expect(() => calendar.isBankHoliday(date)).toThrow(expect.objectContaining(refusal));
  });
});

describe("npm run bank-holidays -- --check: the clock against GOV.UK's list", () => {
  // GOV.UK's bank-holidays.json, England and Wales, as published for 2018–2027, and a year beyond.
  const govUk = (change: (dates: string[]) => string[] = (d) => d) => ({
    'england-and-wales': {
      events: change(
        Object.entries(CLOSED_WEEKDAYS)
          .filter(([year]) => Number(year) <= 2027)
          .flatMap(([year, days]) => days.map((day) => `${year}-${day}`)),
      )
        .concat(['2031-01-01'])
        .map((date) => ({ date, title: 'A bank holiday' })),
    },
  });

  test('agrees for every year both know, and names the years beyond its horizon', () => {
    expect(compareWithGovUk(govUk())).toEqual({
      checkedYears: [2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027],
      differences: [],
      beyondHorizon: [2031],
    });
  });

  test('names a holiday only GOV.UK lists (a new one-off) and one only the clock counts', () => {
    const { differences } = compareWithGovUk(
      govUk((dates) => [...dates.filter((d) => d !== '2027-08-30'), '2027-06-04']),
    );
    expect(differences).toEqual([
      "2027-06-04 A bank holiday: on GOV.UK's list, not the clock's",
      "2027-08-30: the clock's, not on GOV.UK's list",
    ]);
  });

  test('refuses a file that is not the list', () => {
    expect(() => compareWithGovUk({})).toThrow(/no "england-and-wales" events/);
  });
});
