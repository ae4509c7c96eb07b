import { transliterate } from 'transliteration';

/**
 * A name as matching compares it: Unicode-aware (NFKC, then transliterated to Latin for every
 * script the `transliteration` tables cover: Arabic, Cyrillic, Devanagari, Gurmukhi, Han, Greek…),
 * lower case, letters only. Never empty for a name that has letters in any script: a name whose
 * letters cannot be transliterated keeps them as they are, so two different non-Latin names never
 * compare equal by both becoming "".
 */
export function normaliseName(name: string | null | undefined): string {
  if (!name) return '';
  const composed = name.normalize('NFKC').trim();
  const latin = transliterate(composed, { unknown: '\u0000' })
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  if (latin.length > 0) return latin;
  // No Latin letters came out: keep the original letters (any script) rather than nothing.
  return composed.toLowerCase().replace(/[^\p{L}]/gu, '');
}

/** A postcode as compared and blocked on: upper case, no spaces ("ls62ab" → "LS62AB"). */
export function normalisePostcode(postcode: string | null | undefined): string | null {
  if (!postcode) return null;
  const compact = postcode.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact.length >= 5 && compact.length <= 7 ? compact : compact || null;
}

/** An NHS number as compared and blocked on: its ten digits, whatever spaces or dashes it was stored with. */
export function normaliseNhsNumber(nhsNumber: string | null | undefined): string | null {
  if (!nhsNumber) return null;
  const digits = nhsNumber.replace(/[\s-]/g, '');
  return /^\d{10}$/.test(digits) ? digits : null;
}
