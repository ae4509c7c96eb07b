/**
 * A small seeded random source (mulberry32). Faker draws the names and addresses; this draws
 * everything else, so each family and each agency's view of it can be seeded on its own and
 * family N is the same whatever the population size.
 */
export class Random {
  private state: number;

  constructor(...seedParts: (string | number)[]) {
    this.state = hashSeed(seedParts);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

/** FNV-1a over the seed parts: a stable 32-bit seed from e.g. (seed, familyIndex, agency). */
function hashSeed(parts: (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join('\u0000')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
