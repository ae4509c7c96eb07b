import { nhsCheckDigit } from '../identity/nhsNumber';
import { Random } from './random';

/**
 * NHS numbers with a valid modulus-11 check digit, always in the 999 range that is never issued to
 * real patients, so a synthetic number can never be a real person's.
 */
export function syntheticNhsNumber(random: Random): string {
  for (;;) {
    const digits = [9, 9, 9, ...Array.from({ length: 6 }, () => random.int(0, 9))];
    const check = nhsCheckDigit(digits);
    if (check !== null) return [...digits, check].join('');
  }
}
