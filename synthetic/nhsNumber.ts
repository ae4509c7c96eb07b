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

/** The check digit for the first nine digits, or null when they cannot form a valid number. */
export function nhsCheckDigit(firstNine: number[]): number | null {
  const sum = firstNine.reduce((total, digit, i) => total + digit * (10 - i), 0);
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

export function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  const digits = [...value].map(Number);
  return nhsCheckDigit(digits.slice(0, 9)) === digits[9];
}
