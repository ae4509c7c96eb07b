import { areNicknameVariants, NAME_VARIANT_GROUPS, NICKNAMES } from '../nicknames';

describe('areNicknameVariants', () => {
  it.each([
    ['william', 'bill'],
    ['bill', 'will'], // two short forms of one name
    ['edward', 'ned'],
    ['ned', 'ted'],
    ['siobhan', 'shivaun'],
    ['niamh', 'neve'],
    ['dafydd', 'dai'],
    ['iain', 'ian'],
    ['mohammed', 'muhammad'],
  ])('%s and %s are one name', (a, b) => {
    expect(areNicknameVariants(a, b)).toBe(true);
    expect(areNicknameVariants(b, a)).toBe(true);
  });

  it.each([
    ['oliver', 'harry'],
    ['william', 'william'], // equal is exact, not a variant
    ['edward', 'edmund'],
    ['sean', 'shane'],
  ])('%s and %s are not variants', (a, b) => expect(areNicknameVariants(a, b)).toBe(false));

  it('holds names as matching compares them: lower case, letters only', () => {
    for (const name of [
      ...Object.keys(NICKNAMES),
      ...Object.values(NICKNAMES).flat(),
      ...NAME_VARIANT_GROUPS.flat(),
    ])
      expect(name).toMatch(/^[a-z]+$/);
  });
});
