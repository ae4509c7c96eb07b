import { isValidNhsNumber } from '../../identity/nhsNumber';
import { NHS_NUMBER_CAPACITY, syntheticNhsNumber } from '../nhsNumber';

describe('syntheticNhsNumber', () => {
  it('gives a million people a million different, valid NHS numbers in the 9 range', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_000_000; i++) {
      const number = syntheticNhsNumber(20261123, i);
      if (!isValidNhsNumber(number) || number[0] !== '9') throw new Error(`invalid: ${number}`);
      seen.add(number);
    }
    expect(seen.size).toBe(1_000_000);
  });

  it('is a bijection at the top of its range too, and refuses indices beyond it', () => {
    const top = new Set<string>();
    for (let i = NHS_NUMBER_CAPACITY - 100_000; i < NHS_NUMBER_CAPACITY; i++)
      top.add(syntheticNhsNumber(1, i));
    expect(top.size).toBe(100_000);
    expect([...top].every(isValidNhsNumber)).toBe(true);
    expect(() => syntheticNhsNumber(1, NHS_NUMBER_CAPACITY)).toThrow(RangeError);
    expect(() => syntheticNhsNumber(1, -1)).toThrow(RangeError);
  });

  it('depends on the seed, and does not number siblings (consecutive indices) a digit apart', () => {
    expect(syntheticNhsNumber(1, 5)).not.toBe(syntheticNhsNumber(2, 5));
    let close = 0;
    for (let i = 0; i < 10_000; i++) {
      const [a, b] = [syntheticNhsNumber(3, i), syntheticNhsNumber(3, i + 1)];
      if ([...a].filter((digit, k) => digit !== b[k]).length <= 2) close += 1;
    }
    expect(close).toBeLessThan(10);
  });
});
