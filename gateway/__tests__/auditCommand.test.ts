import { gatewayUrl, periodBound } from '../auditCommand';

describe('npm run audit: the period', () => {
  it.each([
    // A plain date is a day in UK time: GMT in winter, BST in summer.
    ['from', '2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['from', '2026-07-01', '2026-06-30T23:00:00.000Z'],
    // The trail's `to` is exclusive: a plain date runs to the end of that day.
    ['to', '2026-11-30', '2026-12-01T00:00:00.000Z'],
    ['to', '2026-03-28', '2026-03-29T00:00:00.000Z'], // the clocks go forward on the 29th, at 01:00
    ['from', '2026-11-01T09:30:00Z', '2026-11-01T09:30:00.000Z'],
    ['from', '2026-11-01T09:30:00+01:00', '2026-11-01T08:30:00.000Z'],
  ] as const)('--%s %s is %s', (name, raw, expected) => {
    expect(periodBound(name, raw)).toBe(expected);
  });

  it('leaves an absent bound open', () => {
    expect(periodBound('from', undefined)).toBeNull();
  });

  it.each(['2026-02-30', '2026-13-01', 'yesterday', '01/11/2026', '2026-11-01T09:30', ''])(
    'refuses %p with a clear message',
    (raw) => {
      expect(() => periodBound('from', raw)).toThrow(/--from/);
    },
  );
});

describe('npm run audit: which gateway', () => {
  it('talks to PORT, as npm start does, and --port over it', () => {
    expect(gatewayUrl({}, {})).toBe('http://localhost:4000/graphql');
    expect(gatewayUrl({}, { PORT: '4100' })).toBe('http://localhost:4100/graphql');
    expect(gatewayUrl({ port: '4200' }, { PORT: '4100' })).toBe('http://localhost:4200/graphql');
    expect(gatewayUrl({ url: 'https://mash.example/graphql', port: '1' }, {})).toBe(
      'https://mash.example/graphql',
    );
  });

  it('refuses a port that is not one', () => {
    expect(() => gatewayUrl({ port: 'eighty' }, {})).toThrow(
      '--port (or PORT) must be a whole number',
    );
  });
});
