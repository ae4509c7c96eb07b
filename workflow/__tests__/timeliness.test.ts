import { BANK_HOLIDAYS_LAST_YEAR } from '../bankHolidays';
import {
  addWorkingHours,
  checksDueAt,
  clockCovers,
  decisionDueAt,
  isWorkingTime,
  MERTON_SCHEME,
  timelinessScheme,
} from '../timeliness';

// Times are written as UTC instants; November–March London is on GMT (UTC+0), summer on BST (UTC+1).
const at = (iso: string) => new Date(iso);

describe('agency-check deadlines from the RAG rating (Merton timescales)', () => {
  test.each([
    // [why, triaged at, rag, due]
    [
      'red runs on the elapsed clock, into the evening',
      '2026-11-20T16:30:00Z',
      'RED',
      '2026-11-20T18:30:00Z',
    ],
    ['red runs through a weekend night', '2026-11-21T23:00:00Z', 'RED', '2026-11-22T01:00:00Z'],
    [
      'amber set on a Friday afternoon carries over the weekend',
      '2026-11-20T15:00:00Z',
      'AMBER',
      '2026-11-23T13:00:00Z',
    ],
    [
      'amber set on a Saturday starts on Monday morning',
      '2026-11-21T11:00:00Z',
      'AMBER',
      '2026-11-23T15:00:00Z',
    ],
    [
      'amber set before opening starts at 09:00',
      '2026-11-23T07:00:00Z',
      'AMBER',
      '2026-11-23T15:00:00Z',
    ],
    [
      'amber set at closing time starts next morning',
      '2026-11-23T17:00:00Z',
      'AMBER',
      '2026-11-24T15:00:00Z',
    ],
    [
      'amber ending exactly at closing time stays that day',
      '2026-11-23T11:00:00Z',
      'AMBER',
      '2026-11-23T17:00:00Z',
    ],
    [
      'green skips Christmas, the weekend and the Boxing Day substitute',
      '2026-12-23T10:00:00Z',
      'GREEN',
      '2026-12-30T10:00:00Z',
    ],
    // Friday 16:00 BST (15:00 UTC): one hour that day; the clocks go back on Sunday 25 October.
    [
      'amber across the end of summer time counts London hours',
      '2026-10-23T15:00:00Z',
      'AMBER',
      '2026-10-26T14:00:00Z',
    ],
    [
      'green across New Year 2028 skips the weekend and the New Year substitute day',
      '2027-12-29T13:00:00Z',
      'GREEN',
      '2028-01-04T13:00:00Z',
    ],
    [
      'green over Christmas 2027 skips both substitute days',
      '2027-12-23T10:00:00Z',
      'GREEN',
      '2027-12-30T10:00:00Z',
    ],
    // Thursday 14:00 BST before Easter 2029: Good Friday and Easter Monday do not count.
    [
      'amber over Easter 2029 resumes on the Tuesday',
      '2029-03-29T13:00:00Z',
      'AMBER',
      '2029-04-03T11:00:00Z',
    ],
    [
      'red at the end of the known years runs on the elapsed clock',
      `${BANK_HOLIDAYS_LAST_YEAR}-12-31T23:00:00Z`,
      'RED',
      `${BANK_HOLIDAYS_LAST_YEAR + 1}-01-01T01:00:00Z`,
    ],
  ] as const)('%s', (_why, triaged, rag, due) => {
    expect(checksDueAt(at(triaged), rag).toISOString()).toBe(at(due).toISOString());
  });
});

describe('decision within one working day of receipt (Working Together 2023)', () => {
  test.each([
    [
      'received on Friday afternoon: due Monday afternoon',
      '2026-11-20T16:00:00Z',
      '2026-11-23T16:00:00Z',
    ],
    [
      'received on Saturday: due at the end of Monday',
      '2026-11-21T10:00:00Z',
      '2026-11-23T17:00:00Z',
    ],
    [
      'received before Easter: Good Friday and Easter Monday do not count',
      '2026-04-02T11:00:00Z',
      '2026-04-07T11:00:00Z',
    ],
    [
      'received on the Friday before Christmas 2028: due on the Wednesday after',
      '2028-12-22T15:00:00Z',
      '2028-12-27T15:00:00Z',
    ],
    [
      'received at 09:00 sharp: due at 17:00 that day',
      '2026-11-24T09:00:00Z',
      '2026-11-24T17:00:00Z',
    ],
  ])('%s', (_why, received, due) => {
    expect(decisionDueAt(at(received)).toISOString()).toBe(at(due).toISOString());
  });
});

describe('working time', () => {
  test.each([
    ['a Monday morning', '2026-11-23T10:00:00Z', true],
    ['closing time itself', '2026-11-23T17:00:00Z', false],
    ['a Saturday', '2026-11-21T10:00:00Z', false],
    ['Christmas Day', '2026-12-25T10:00:00Z', false],
    ['08:30 London in summer is 07:30 UTC: before opening', '2026-07-06T07:30:00Z', false],
    ['09:30 London in summer is 08:30 UTC: open', '2026-07-06T08:30:00Z', true],
  ])('%s', (_why, moment, expected) => {
    expect(isWorkingTime(at(moment))).toBe(expected);
  });

  test('zero working hours from a closed moment is the next opening', () => {
    expect(addWorkingHours(at('2026-11-21T10:00:00Z'), 0).toISOString()).toBe(
      '2026-11-23T09:00:00.000Z',
    );
  });
});

describe("a hub's own timescales from the environment", () => {
  test('no settings: Merton', () => {
    expect(timelinessScheme({})).toBe(MERTON_SCHEME);
  });

  test('every RAG on the working clock, a longer day and two days to decide', () => {
    const scheme = timelinessScheme({
      MASH_CHECK_DEADLINES: 'RED=4h working, AMBER=1.5h working',
      MASH_WORKING_HOURS: '08-18',
      MASH_DECISION_WORKING_DAYS: '2',
    });
    expect(scheme.checks.RED).toEqual({ hours: 4, clock: 'WORKING_HOURS' });
    expect(scheme.checks.GREEN).toEqual(MERTON_SCHEME.checks.GREEN);
    // Friday 17:00: one hour that day, three on Monday from 08:00.
    expect(checksDueAt(at('2026-11-20T17:00:00Z'), 'RED', scheme).toISOString()).toBe(
      '2026-11-23T11:00:00.000Z',
    );
    // Two ten-hour days from Monday 08:00.
    expect(decisionDueAt(at('2026-11-23T08:00:00Z'), scheme).toISOString()).toBe(
      '2026-11-24T18:00:00.000Z',
    );
  });

  test.each([
    [
      { MASH_CHECK_DEADLINES: 'PURPLE=2h elapsed' },
      /MASH_CHECK_DEADLINES entry "PURPLE=2h elapsed"/,
    ],
    [{ MASH_CHECK_DEADLINES: 'RED=2 hours' }, /MASH_CHECK_DEADLINES/],
    [{ MASH_WORKING_HOURS: '17-09' }, /MASH_WORKING_HOURS/],
    [{ MASH_DECISION_WORKING_DAYS: 'one' }, /MASH_DECISION_WORKING_DAYS/],
  ])('refuses %j', (env, message) => {
    expect(() => timelinessScheme(env)).toThrow(message);
  });
});

describe('no silent expiry: the clock refuses years whose bank holidays it does not know', () => {
  const last = BANK_HOLIDAYS_LAST_YEAR;

  test.each([
    ['a green deadline running into the unknown year', `${last}-12-31T15:00:00Z`, 'GREEN'],
    ['an amber one set on the last working afternoon', `${last}-12-31T16:00:00Z`, 'AMBER'],
  ] as const)('%s fails loudly', (_why, triaged, rag) => {
    expect(() => checksDueAt(at(triaged), rag)).toThrow(
      expect.objectContaining({
        message: expect.stringContaining(`it was asked about ${last + 1}`),
        extensions: expect.objectContaining({ code: 'BANK_HOLIDAYS_UNKNOWN', year: last + 1 }),
      }),
    );
  });

  test('a deadline inside the known years is still given', () => {
    expect(checksDueAt(at(`${last}-12-30T10:00:00Z`), 'AMBER').toISOString()).toBe(
      `${last}-12-30T16:00:00.000Z`,
    );
  });

  test('the service refuses to start in a year the clock does not know', () => {
    expect(() => timelinessScheme({}, at(`${last + 1}-03-01T12:00:00Z`))).toThrow(
      `Configuration: The deadline clock knows England and Wales bank holidays for`,
    );
    expect(() =>
      timelinessScheme({ MASH_WORKING_HOURS: '08-18' }, at(`${last + 1}-03-01T12:00:00Z`)),
    ).toThrow(/it was asked about/);
  });

  test('it warns at start in the last known year, and is quiet before', () => {
    const warnings: string[] = [];
    clockCovers(MERTON_SCHEME, at(`${last}-06-01T12:00:00Z`), (m) => warnings.push(m));
    expect(warnings).toEqual([
      expect.stringContaining(`deadlines that run into ${last + 1} will be refused`),
    ]);
    clockCovers(MERTON_SCHEME, at(`${last - 1}-12-31T12:00:00Z`), (m) => warnings.push(m));
    expect(warnings).toHaveLength(1);
  });
});
