import type { Identity } from '../matchIdentity';

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ra',
  'te',
  'no',
  'si',
  'va',
  'de',
  'bu',
  'fe',
  'go',
  'ha',
  'ju',
];

/** `count` made-up names, with `real` names placed at the given ranks. */
function names(count: number, real: Record<number, string>): string[] {
  return Array.from({ length: count }, (_, i) => {
    if (real[i]) return real[i];
    const a = SYLLABLES[i % SYLLABLES.length];
    const b = SYLLABLES[Math.floor(i / SYLLABLES.length) % SYLLABLES.length];
    const c = SYLLABLES[Math.floor(i / SYLLABLES.length ** 2) % SYLLABLES.length];
    const name = `${a}${b}${c}n`;
    return name[0].toUpperCase() + name.slice(1);
  });
}

const GIVEN = names(400, { 0: 'Amelia', 1: 'Harry', 5: 'Jack', 9: 'Oliver', 20: 'Mohammed' });
const FAMILY = names(2000, { 9: 'Smith', 15: 'Khan', 30: 'Jones' });

/**
 * A made-up agency of `households` households (three people each: one family name, one postcode of
 * their own), with Zipf name frequencies much like the UK's: Oliver about 1.5% of given names,
 * Smith about 1.2% of family names. One person has a given name nobody else has ("Tallulah").
 * Deterministic.
 */
export function sampleAgency(households: number): Identity[] {
  let state = 7;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const zipf = (list: string[]): string => {
    const weights = list.map((_, i) => 1 / (i + 1));
    let pick = random() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < list.length; i++) if ((pick -= weights[i]) <= 0) return list[i];
    return list[list.length - 1];
  };
  const letters = 'ABDEFGHJLNPQRSTUWXYZ';
  const people: Identity[] = [];
  for (let h = 0; h < households; h++) {
    const familyName = zipf(FAMILY);
    const unit = `${letters[Math.floor(h / 300) % 20]}${letters[Math.floor(h / 6000) % 20]}`;
    const postcode = `LS${1 + (h % 30)} ${Math.floor(h / 30) % 10}${unit}`;
    for (let p = 0; p < 3; p++) {
      const year = 2005 + Math.floor(random() * 20);
      const month = 1 + Math.floor(random() * 12);
      const day = 1 + Math.floor(random() * 28);
      people.push({
        givenName: zipf(GIVEN),
        familyName,
        dateOfBirth: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        sex: random() < 0.5 ? 'MALE' : 'FEMALE',
        postcode,
        nhsNumber: null,
      });
    }
  }
  people[0] = { ...people[0], givenName: 'Tallulah' };
  return people;
}
