import { createHash } from 'node:crypto';

/** A UUID derived from its parts, so the same seed gives the same ids on every start. */
export function stableUuid(...parts: (string | number)[]): string {
  const hex = createHash('sha256').update(parts.join('/')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
