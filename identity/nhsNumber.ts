/** The check digit for the first nine digits (modulus 11), or null when they cannot form a valid number. */
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
