/**
 * Synthetic NHS numbers: unique and valid at any population size, derived from a person's index
 * by a bijection, so no two synthetic people ever share one.
 *
 * The range: the 999 range (999 000 0000–999 999 9999) is documented as reserved for test data
 * (e.g. the `nhs-number` crate's and uk-fci's `nhs-number` documentation of the "testable"/synthetic
 * range), but it holds only about 909,000 valid numbers, fewer than the million people the
 * evaluation builds. So the generator uses the whole 9 range (900 000 0000–999 999 9999): it lies
 * outside every range issued to patients (England 300–799 million blocks, Scotland's CHI 010–311,
 * Northern Ireland 320–399) and NHS England's own test patients are numbered in it (9000000009).
 *
 * Construction: the person's index k (0 ≤ k < CAPACITY) is shuffled by a keyed Feistel permutation
 * of [0, 2^28) with cycle-walking into [0, CAPACITY); the result's quotient by 9 gives digits 2–8
 * and its remainder picks digit 9 among the (at least 9) values whose check digit is not 10. Each
 * step is a bijection, so distinct indices give distinct, valid numbers, and siblings (consecutive
 * indices) get unrelated numbers rather than numbers one digit apart.
 */
export const NHS_NUMBER_CAPACITY = 9 * 10 ** 7;

const HALF_BITS = 14;
const HALF_MASK = (1 << HALF_BITS) - 1;
const ROUNDS = 4;

export function syntheticNhsNumber(seed: number, personIndex: number): string {
  if (!Number.isInteger(personIndex) || personIndex < 0 || personIndex >= NHS_NUMBER_CAPACITY)
    throw new RangeError(`A synthetic NHS number needs an index in [0, ${NHS_NUMBER_CAPACITY}).`);
  const keys = roundKeys(seed);
  let shuffled = personIndex;
  do shuffled = feistel(shuffled, keys);
  while (shuffled >= NHS_NUMBER_CAPACITY);

  const middle = Math.floor(shuffled / 9); // digits 2–8: seven digits, 0..9,999,999
  let choice = shuffled % 9;
  // Modulus 11 over the first nine digits with weights 10..2; the first digit is 9.
  let sum = 9 * 10;
  for (let rest = middle, weight = 3; weight <= 9; weight++, rest = Math.floor(rest / 10))
    sum += (rest % 10) * weight;
  for (let last = 0; last <= 9; last++) {
    const remainder = (sum + 2 * last) % 11;
    if (remainder === 1) continue; // check digit would be 10: no valid number
    if (choice-- === 0) {
      const check = remainder === 0 ? 0 : 11 - remainder;
      return `9${String(middle).padStart(7, '0')}${last}${check}`;
    }
  }
  throw new Error('unreachable: at most one final digit makes the check digit 10');
}

const keyCache = new Map<number, number[]>();
function roundKeys(seed: number): number[] {
  let keys = keyCache.get(seed);
  if (!keys) {
    keys = Array.from({ length: ROUNDS }, (_, round) => mix(seed * 31 + round + 0x9e3779b9));
    keyCache.set(seed, keys);
  }
  return keys;
}

function feistel(value: number, keys: number[]): number {
  let left = value >>> HALF_BITS;
  let right = value & HALF_MASK;
  for (const key of keys) {
    const next = left ^ (mix(right ^ key) & HALF_MASK);
    left = right;
    right = next;
  }
  return (left << HALF_BITS) | right;
}

function mix(x: number): number {
  let h = x | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
