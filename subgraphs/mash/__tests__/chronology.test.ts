import {
  changesSince,
  countEvents,
  MergedEvent,
  mergeSources,
  monthsBefore,
  page,
} from '../chronology';

const event = (
  agency: string,
  ref: string,
  at: string,
  updatedAt = at,
  kind = 'K',
): MergedEvent => ({
  agency,
  recordReference: ref,
  occurredAt: new Date(at),
  updatedAt: new Date(updatedAt),
  kind,
  summary: null,
  summaryTier: null,
  summaryWithheld: null,
  subjectIds: ['s1'],
});

describe('the rolling windows count back in calendar months', () => {
  it.each([
    ['2026-03-31T09:00:00Z', 1, '2026-02-28T09:00:00.000Z'],
    ['2024-03-31T09:00:00Z', 1, '2024-02-29T09:00:00.000Z'],
    ['2026-12-02T12:00:00Z', 3, '2026-09-02T12:00:00.000Z'],
    ['2026-01-15T00:00:00Z', 12, '2025-01-15T00:00:00.000Z'],
    ['2026-05-31T00:00:00Z', 36, '2023-05-31T00:00:00.000Z'],
  ])('%s less %i months is %s', (from, months, expected) => {
    expect(monthsBefore(new Date(from), months).toISOString()).toBe(expected);
  });

  it('an event on a window boundary counts in the later window only; a future one in none', () => {
    const now = new Date('2026-12-02T12:00:00Z');
    const [counted] = countEvents(
      [
        event('police', 'a', '2026-09-02T12:00:00Z'), // exactly 3 months back: the previous window
        event('police', 'b', '2026-09-02T12:00:01Z'), // just inside the last 3 months
        event('police', 'c', '2027-01-01T00:00:00Z'), // a date typed wrong: in the total only
      ],
      now,
    );
    expect(counted.total).toBe(3);
    expect(counted.windows[0]).toEqual({ months: 3, count: 1, previous: 1, trend: 'STEADY' });
  });
});

describe('the change feed at one timestamp', () => {
  const t = '2026-11-01T00:00:00.000Z';
  it('two records written at the same moment, seen apart, are each reported once', () => {
    const first = changesSince([event('health', 'a', t)], null);
    expect(first.events.map((e) => e.recordReference)).toEqual(['a']);
    const later = changesSince([event('health', 'a', t), event('health', 'b', t)], first.cursor);
    expect(later.events.map((e) => e.recordReference)).toEqual(['b']);
    expect(
      changesSince([event('health', 'a', t), event('health', 'b', t)], later.cursor).events,
    ).toEqual([]);
  });

  it("one agency's watermark never hides another's records", () => {
    const first = changesSince([event('police', 'p', '2026-11-05T00:00:00Z')], null);
    const next = changesSince(
      [event('police', 'p', '2026-11-05T00:00:00Z'), event('health', 'h', '2026-10-01T00:00:00Z')],
      first.cursor,
    );
    expect(next.events.map((e) => e.recordReference)).toEqual(['h']);
  });
});

describe('pages', () => {
  const events = [
    event('health', 'x', '2026-01-01T00:00:00Z'),
    event('police', 'a', '2026-01-01T00:00:00Z'),
    event('police', 'b', '2026-01-01T00:00:00Z'),
  ];
  it('a cursor past the last event gives an empty last page', () => {
    const { edges } = page(events, 3, null);
    const after = page(events, 3, edges[2].cursor);
    expect(after).toEqual({ edges: [], hasNextPage: false });
  });

  it('a cursor keeps its place when an event is added before it', () => {
    const { edges } = page(events, 2, null);
    const added = [event('education', 'e', '2025-12-31T00:00:00Z'), ...events];
    expect(page(added, 5, edges[1].cursor).edges.map((e) => e.node.recordReference)).toEqual(['b']);
  });
});

describe('merging', () => {
  it('an agency that did not answer is UNAVAILABLE, not missing', () => {
    const merged = mergeSources([{ subjectId: 's1', sources: new Map([['police', null]]) }]);
    expect(merged.agencies).toEqual([
      expect.objectContaining({ agency: 'police', subjectId: 's1', status: 'UNAVAILABLE' }),
    ]);
  });
});
