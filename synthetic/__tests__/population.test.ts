import { isValidNhsNumber } from '../../identity/nhsNumber';
import { ageOn, generatePopulation } from '../population';

describe('generatePopulation', () => {
  const population = generatePopulation({ seed: 7, families: 200 });
  const people = population.flatMap((f) => f.members);

  it('is deterministic from the seed, and family N does not depend on the population size', () => {
    expect(generatePopulation({ seed: 7, families: 200 })).toEqual(population);
    expect(generatePopulation({ seed: 7, families: 20 })).toEqual(population.slice(0, 20));
    expect(generatePopulation({ seed: 8, families: 20 })).not.toEqual(population.slice(0, 20));
  });

  it('gives every person a valid NHS number in the range never issued to real patients', () => {
    for (const person of people) {
      expect(isValidNhsNumber(person.nhsNumber)).toBe(true);
      expect(person.nhsNumber.startsWith('9')).toBe(true);
    }
    expect(new Set(people.map((p) => p.nhsNumber)).size).toBe(people.length);
  });

  it('makes households with at least one child and a parent old enough to be one', () => {
    for (const family of population) {
      const children = family.members.filter((m) => ageOn(m.dateOfBirth) < 18);
      const mother = family.members.find((m) => m.role === 'PARENT' && m.sex === 'FEMALE')!;
      expect(children.length).toBeGreaterThanOrEqual(1);
      for (const child of children)
        expect(ageOn(mother.dateOfBirth) - ageOn(child.dateOfBirth)).toBeGreaterThanOrEqual(16);
      expect(
        family.members.every((m) => /^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/.test(m.postcode)),
      ).toBe(true);
    }
  });

  it('writes referrals with realistic identity noise, so matching is exercised', () => {
    const subjects = population.flatMap((f) => (f.referral ? f.referral.subjects : []));
    const truth = new Map(people.map((p) => [p.personKey, p]));
    const differs = (key: 'givenName' | 'familyName' | 'dateOfBirth') =>
      subjects.filter((s) => s[key] !== truth.get(s.personKey)![key]).length;
    expect(subjects.length).toBeGreaterThan(200);
    expect(differs('givenName')).toBeGreaterThan(0);
    expect(differs('familyName')).toBeGreaterThan(0);
    expect(differs('dateOfBirth')).toBeGreaterThan(0);
    expect(subjects.filter((s) => s.nhsNumber === null).length).toBeGreaterThan(
      subjects.length / 3,
    );
  });

  it('includes families new to the area, whom no agency knows yet', () => {
    expect(population.filter((f) => f.newToArea && f.referral).length).toBeGreaterThan(0);
  });
});
