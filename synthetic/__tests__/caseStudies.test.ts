import {
  ageOn,
  CASE_STUDY_BLOCK,
  CASE_STUDY_CONCERNS,
  caseStudyHouseholds,
  CaseStudyKind,
  generatePopulation,
  SyntheticFamily,
} from '../population';

const KINDS: CaseStudyKind[] = [
  'REPEATED_CALL_OUTS',
  'SEPARATION_ATTENDANCE',
  'FINANCIAL_HARDSHIP',
];

describe('the case-study households', () => {
  // Three whole blocks and a part of a fourth: the rate is judged on the whole ones.
  const population = generatePopulation({ seed: 20261123, families: 3 * CASE_STUDY_BLOCK + 40 });
  const households = caseStudyHouseholds(population);

  it('holds one of each story in every block of families: a handful per 10,000 people', () => {
    for (let block = 0; block < 3; block++) {
      const inBlock = households.filter((f) => Math.floor(f.index / CASE_STUDY_BLOCK) === block);
      expect(inBlock.map((f) => f.caseStudy.kind).sort()).toEqual([...KINDS].sort());
    }
    const people = population
      .slice(0, 3 * CASE_STUDY_BLOCK)
      .reduce((n, f) => n + f.members.length, 0);
    const per10k = (9 / people) * 10_000;
    expect(per10k).toBeGreaterThanOrEqual(5);
    expect(per10k).toBeLessThanOrEqual(10);
    // Every other family lives out no story.
    expect(population.filter((f) => f.caseStudy !== null)).toHaveLength(households.length);
  });

  it('lists them by story, and lists the same households whatever the population size', () => {
    for (const kind of KINDS)
      expect(caseStudyHouseholds(population, kind).every((f) => f.caseStudy.kind === kind)).toBe(
        true,
      );
    const small = generatePopulation({ seed: 20261123, families: 60 });
    expect(caseStudyHouseholds(small).map((f) => f.familyKey)).toEqual(
      households.filter((f) => f.index < 60).map((f) => f.familyKey),
    );
    expect(caseStudyHouseholds(small)).toHaveLength(3);
    // Another seed: other households.
    const other = generatePopulation({ seed: 3, families: 60 });
    expect(caseStudyHouseholds(other).map((f) => f.familyKey)).not.toEqual(
      caseStudyHouseholds(small).map((f) => f.familyKey),
    );
  });

  const children = (f: SyntheticFamily) => f.members.filter((m) => ageOn(m.dateOfBirth) < 18);
  const men = (f: SyntheticFamily) =>
    f.members.filter((m) => ageOn(m.dateOfBirth) >= 18 && m.sex === 'MALE');

  it('places repeated call-outs in a home with a man, a domestic-abuse history and every child of school age', () => {
    for (const family of caseStudyHouseholds(population, 'REPEATED_CALL_OUTS')) {
      expect(family.concern).toBe('DOMESTIC_ABUSE');
      expect(family.newToArea).toBe(false);
      expect(men(family).length).toBeGreaterThan(0);
      expect(family.caseStudy.children.sort()).toEqual(
        children(family)
          .map((c) => c.personKey)
          .sort(),
      );
      expect(family.caseStudy.children.length).toBeGreaterThanOrEqual(2);
      for (const child of children(family)) {
        expect(ageOn(child.dateOfBirth)).toBeGreaterThanOrEqual(5);
        expect(ageOn(child.dateOfBirth)).toBeLessThanOrEqual(15);
      }
    }
  });

  it('places the separation where no father remains, about one secondary-school pupil, after the autumn term', () => {
    for (const family of caseStudyHouseholds(population, 'SEPARATION_ATTENDANCE')) {
      expect(men(family)).toEqual([]);
      expect(family.caseStudy.children).toHaveLength(1);
      const pupil = family.members.find((m) => m.personKey === family.caseStudy.children[0])!;
      expect(ageOn(pupil.dateOfBirth)).toBeGreaterThanOrEqual(11);
      expect(ageOn(pupil.dateOfBirth)).toBeLessThanOrEqual(15);
      expect(family.caseStudy.separatedOn! > '2025-12-19').toBe(true);
      expect(family.caseStudy.separatedOn! < '2026-03-27').toBe(true);
    }
  });

  it('places financial hardship in a family with a child under five, whom the health visitor sees', () => {
    for (const family of caseStudyHouseholds(population, 'FINANCIAL_HARDSHIP')) {
      expect(family.caseStudy.children.length).toBeGreaterThan(0);
      for (const key of family.caseStudy.children) {
        const child = family.members.find((m) => m.personKey === key)!;
        expect(ageOn(child.dateOfBirth)).toBeLessThan(5);
      }
      expect(family.caseStudy.separatedOn).toBeNull();
    }
  });

  it('has a referred case-study household referred about its story, and no other household', () => {
    const referred = households.filter((f) => f.referral);
    expect(referred.length).toBeGreaterThan(0);
    for (const family of referred)
      expect(family.referral!.concerns).toBe(CASE_STUDY_CONCERNS[family.caseStudy.kind]);
    const stories = new Set(Object.values(CASE_STUDY_CONCERNS));
    expect(
      population.filter((f) => !f.caseStudy && f.referral && stories.has(f.referral.concerns)),
    ).toEqual([]);
  });
});
