import { isValidNhsNumber } from '../../identity/nhsNumber';
import { IDENTITY_NOISE, IdentityNoiseKind } from '../identityNoise';
import { ageOn, generatePopulation, recordIdentity, SyntheticPerson } from '../population';
import { measureRealism } from '../realism';
import { Random } from '../random';

// Large enough for rates to be measured (about 16,000 people, 6,000 referral subjects).
const population = generatePopulation({ seed: 42, families: 4000 });
const people = population.flatMap((f) => f.members);
const truth = new Map(people.map((p) => [p.personKey, p]));
const realism = measureRealism(population);
const subjects = population.flatMap((f) => f.referral?.subjects ?? []);

describe('the synthetic population, measured against the UK', () => {
  it('has twins and triplets at about the UK rate, born the same day in the same family', () => {
    expect(realism.childrenInMultipleBirths).toBeGreaterThan(0.02);
    expect(realism.childrenInMultipleBirths).toBeLessThan(0.04);
    const sets = new Map<string, SyntheticPerson[]>();
    for (const p of people.filter((p) => p.multipleBirth))
      sets.set(p.multipleBirth!, [...(sets.get(p.multipleBirth!) ?? []), p]);
    for (const set of sets.values()) {
      expect(set.length).toBeGreaterThanOrEqual(2);
      expect(new Set(set.map((p) => `${p.familyKey} ${p.dateOfBirth}`)).size).toBe(1);
      expect(new Set(set.map((p) => p.givenName)).size).toBe(set.length);
    }
    // Same initial is common among twins (it is what makes them hard to tell apart).
    const sameInitial = [...sets.values()].filter(
      (set) => new Set(set.map((p) => p.givenName[0])).size === 1,
    );
    expect(sameInitial.length / sets.size).toBeGreaterThan(0.3);
    // Siblings who are not twins are never born the same day.
    for (const family of population) {
      const singles = family.members.filter((m) => ageOn(m.dateOfBirth) < 18 && !m.multipleBirth);
      expect(new Set(singles.map((m) => m.dateOfBirth)).size).toBe(singles.length);
    }
  });

  it('puts about fifteen households in a postcode, each at its own address', () => {
    expect(realism.householdsPerPostcode).toBeGreaterThan(10);
    expect(realism.householdsPerPostcode).toBeLessThan(20);
    expect(realism.sectors).toBeLessThan(realism.postcodes / 10);
    for (const family of population)
      expect(family.members[0].postcode).toMatch(/^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/);
    const addresses = new Set(population.map((f) => f.members[0].addressLine));
    expect(addresses.size).toBe(population.length);
  });

  it('draws surnames at UK-like frequencies: Smith first, at about 1.1%', () => {
    const [name, share] = realism.topSurnames[0];
    expect(name).toBe('Smith');
    expect(share).toBeGreaterThan(0.007);
    expect(share).toBeLessThan(0.016);
    expect(new Set(people.map((p) => p.familyName)).size).toBeGreaterThan(people.length / 20);
  });

  it('includes other origins, transliterations, other scripts and hyphenated names', () => {
    const given = new Set(people.map((p) => p.givenName));
    expect(['Muhammad', 'Mohammed', 'Mohamed'].filter((n) => given.has(n)).length).toBe(3);
    const scripted = people.filter((p) => p.nameInScript);
    expect(scripted.length).toBeGreaterThan(0);
    for (const p of scripted)
      expect(`${p.nameInScript!.givenName}${p.nameInScript!.familyName}`).not.toMatch(/[A-Za-z]/);
    expect(people.some((p) => /-/.test(p.familyName))).toBe(true);
    expect(people.some((p) => /[ąćęłńóśźżăâîșț]/i.test(p.givenName + p.familyName))).toBe(true);
    expect(people.some((p) => p.formerFamilyName && p.role !== 'PARENT')).toBe(true);
    expect(realism.uniqueNhsNumbers).toBe(true);
  });
});

describe('referral noise', () => {
  const applied = (kind: IdentityNoiseKind) => subjects.filter((s) => s.noise?.includes(kind));

  it.each<IdentityNoiseKind>([
    'DOB_MISSING',
    'DOB_DIGIT_TYPO',
    'GIVEN_NAME_MISSPELT',
    'FAMILY_NAME_MISSPELT',
    'POSTCODE_FORMAT',
    'NICKNAME',
    'HYPHENATION',
    'FORMER_SURNAME',
    'NHS_NUMBER_SPACED',
  ])('applies %s at its documented rate, among the people it can apply to', (kind) => {
    // Within four standard errors of the documented rate (a binomial share of the eligible).
    const rate = IDENTITY_NOISE[kind].referral;
    const n = realism.eligible.referral[kind];
    expect(n).toBeGreaterThan(300);
    const margin = 4 * Math.sqrt((rate * (1 - rate)) / n);
    expect(Math.abs(realism.noise.referral[kind] - rate)).toBeLessThan(margin);
  });

  it('makes each kind of error what it says, and keeps the truth on every record', () => {
    for (const s of subjects) expect(truth.has(s.personKey)).toBe(true);
    for (const s of applied('DOB_DIGIT_TYPO')) {
      const real = truth.get(s.personKey)!.dateOfBirth;
      if (s.dateOfBirth === real) continue; // no valid one-digit change found (rare)
      expect([...s.dateOfBirth!].filter((c, i) => c !== real[i]).length).toBe(1);
    }
    for (const s of applied('DOB_MISSING')) expect(s.dateOfBirth).toBeNull();
    for (const s of applied('NHS_NUMBER_TRANSPOSED')) {
      const digits = s.nhsNumber!.replace(/ /g, '');
      expect(digits).not.toBe(truth.get(s.personKey)!.nhsNumber);
      expect([...digits].sort().join('')).toBe(
        [...truth.get(s.personKey)!.nhsNumber].sort().join(''),
      );
    }
    for (const s of applied('NHS_NUMBER_DIGIT_TYPO'))
      expect(isValidNhsNumber(s.nhsNumber!.replace(/ /g, ''))).toBe(false);
    for (const s of applied('NHS_NUMBER_SPACED'))
      expect(s.nhsNumber).toMatch(/^\d{3} \d{3} \d{4}$/);
    const otherSurnameNoise = [
      'HYPHENATION',
      'FAMILY_NAME_MISSPELT',
      'OTHER_SPELLING',
      'NAMES_SWAPPED',
      'ORIGINAL_SCRIPT',
    ];
    for (const s of applied('FORMER_SURNAME').filter(
      (s) => !s.noise!.some((k) => otherSurnameNoise.includes(k)),
    ))
      expect(s.familyName).toBe(truth.get(s.personKey)!.formerFamilyName);
    for (const s of applied('NAMES_SWAPPED'))
      expect(s.givenName).not.toBe(truth.get(s.personKey)!.givenName);
    expect(applied('ORIGINAL_SCRIPT').length).toBeGreaterThan(0);
    expect(applied('OTHER_SPELLING').length).toBeGreaterThan(0);
    expect(applied('HYPHENATION').length).toBeGreaterThan(0);
  });

  it('uses nicknames beyond the matcher’s own list', () => {
    expect(applied('NICKNAME').length).toBeGreaterThan(0);
    expect(realism.nicknamesOutsideMatcher).toBeGreaterThan(0.2);
  });
});

describe('agency recording habits', () => {
  it('records a newborn as "Baby <Surname>" often, and a sloppier agency makes more typing errors', () => {
    const newborn: SyntheticPerson = {
      ...people.find((p) => p.role !== 'PARENT')!,
      dateOfBirth: '2026-09-20',
    };
    const babies = Array.from({ length: 400 }, (_, i) =>
      recordIdentity(newborn, new Random('baby', i), {
        nhsNumberKnown: 1,
        error: 0.05,
        oldAddress: 0,
      }),
    ).filter((r) => r.givenName === 'Baby');
    expect(babies.length).toBeGreaterThan(100);

    const typos = (error: number) =>
      people
        .map((p) =>
          recordIdentity(p, new Random('habit', p.personKey), {
            nhsNumberKnown: 1,
            error,
            oldAddress: 0.3,
          }),
        )
        .filter((r) => r.noise?.includes('FAMILY_NAME_MISSPELT')).length;
    expect(typos(0.2)).toBeGreaterThan(typos(0.05) * 2);
  });
});
