import { NICKNAMES } from '../identity/nicknames';
import { Random } from './random';

/**
 * The ways a person's identity drifts between agencies' records, as seen in real MASH matching:
 * typing errors in names, nicknames, day and month swapped, an old address, no NHS number.
 */
export function misspell(name: string, random: Random): string {
  if (name.length < 4) return name;
  const i = random.int(1, name.length - 2);
  switch (random.int(0, 2)) {
    case 0: // two letters transposed
      return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
    case 1: // a letter dropped
      return name.slice(0, i) + name.slice(i + 1);
    default: // a letter doubled
      return name.slice(0, i) + name[i] + name.slice(i);
  }
}

export function nickname(givenName: string, random: Random): string | null {
  const shortForms = NICKNAMES[givenName.toLowerCase()];
  if (!shortForms) return null;
  const shortForm = random.pick(shortForms);
  return shortForm[0].toUpperCase() + shortForm.slice(1);
}

/** 2014-03-07 → 2014-07-03; null when the swap would not be a real, different date. */
export function swapDayAndMonth(isoDate: string): string | null {
  const [year, month, day] = isoDate.split('-');
  if (Number(day) > 12 || day === month) return null;
  return `${year}-${day}-${month}`;
}
