import { compareIdentities } from '../comparisons';
import { estimateMUsingEm } from '../expectationMaximisation';
import { estimateMatchModel, Identity } from '../matchIdentity';
import { DEFAULT_M } from '../matchModel';
import { sampleAgency } from './sampleAgency';

describe('estimateMUsingEm', () => {
  const records = sampleAgency(3000);
  const model = estimateMatchModel({ sample: records, pairs: 30_000 });

  // Candidate pairs as a blocking rule on family name fetches them: 1,500 true matches whose date of
  // birth is one digit off in 1 of 4 and whose address changed in 1 of 5, among 4,500 pairs of
  // people from different households who share a family name.
  const pairs: [Identity, Identity][] = [];
  for (let i = 0; i < 1500; i++) {
    const r = records[i * 3];
    const day = r.dateOfBirth!;
    const dob = i % 4 === 0 ? `${day.slice(0, 9)}${(Number(day.slice(9)) + 1) % 10}` : day;
    const postcode = i % 5 === 0 ? 'M14 5RT' : r.postcode;
    pairs.push([r, { ...r, dateOfBirth: dob, postcode }]);
  }
  const byFamily = new Map<string, Identity[]>();
  for (const r of records) byFamily.set(r.familyName, [...(byFamily.get(r.familyName) ?? []), r]);
  const families = [...byFamily.values()].filter((people) => people.length >= 6);
  for (let i = 0; pairs.length < 6000; i++) {
    const people = families[i % families.length];
    const a = people[(i * 7) % people.length];
    const b = people[(i * 7 + 3 + (i % 3) * 3) % people.length];
    if (a.postcode !== b.postcode) pairs.push([a, b]);
  }

  it('recovers the rates at which true matches differ, and the share of matches', () => {
    const estimate = estimateMUsingEm(model, pairs, { blockedOn: ['familyName'] });
    const m = estimate.model.comparisons;
    const dobOneDigit =
      pairs.slice(0, 1500).filter(([a, b]) => compareIdentities(a, b).dateOfBirth === 'ONE_DIGIT')
        .length / 1500;
    expect(dobOneDigit).toBeGreaterThan(0.2);
    expect(m.dateOfBirth.ONE_DIGIT.m).toBeCloseTo(dobOneDigit, 1);
    expect(m.postcode.DIFFERENT.m).toBeCloseTo(0.2, 1);
    expect(estimate.proportionMatched).toBeCloseTo(0.25, 1);
    expect(estimate.lastChange).toBeLessThanOrEqual(1e-4);
    // u, the blocked field's m, and the defaults the estimate started from, are untouched.
    expect(m.familyName.EXACT.m).toBe(model.comparisons.familyName.EXACT.m);
    expect(m.dateOfBirth.ONE_DIGIT.u).toBe(model.comparisons.dateOfBirth.ONE_DIGIT.u);
    expect(model.comparisons.dateOfBirth.ONE_DIGIT.m).toBe(DEFAULT_M.dateOfBirth.ONE_DIGIT);
  });
});
