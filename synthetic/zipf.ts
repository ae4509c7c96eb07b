import { Random } from './random';

/**
 * A Zipf–Mandelbrot law over a ranked list: the share of rank r (1-based) is proportional to
 * (r + q)^-s. Name frequencies follow it closely (a few very common names, a long tail of rare
 * ones); we fix q and solve for the exponent s that gives the list's first name a documented
 * share, so each table states one measurable figure rather than a guessed exponent.
 */
export class ZipfTable<T> {
  readonly shares: number[];
  private readonly cumulative: Float64Array;

  constructor(
    readonly items: readonly T[],
    topShare: number,
    offset = 2.7,
  ) {
    if (items.length === 0) throw new Error('A Zipf table needs at least one item.');
    const exponent = solveExponent(items.length, topShare, offset);
    const weights = items.map((_, i) => (i + 1 + offset) ** -exponent);
    const total = weights.reduce((a, b) => a + b, 0);
    this.shares = weights.map((w) => w / total);
    this.cumulative = new Float64Array(items.length);
    let running = 0;
    this.shares.forEach((share, i) => (this.cumulative[i] = running += share));
  }

  /** One draw, O(log n). */
  draw(random: Random): T {
    const u = random.next() * this.cumulative[this.cumulative.length - 1];
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.cumulative[mid] > u) high = mid;
      else low = mid + 1;
    }
    return this.items[low];
  }
}

/** The exponent s for which rank 1 gets `topShare` of n items (bisection; the share rises with s). */
function solveExponent(n: number, topShare: number, offset: number): number {
  if (n === 1) return 1;
  const logs = Float64Array.from({ length: n }, (_, i) => Math.log(i + 1 + offset));
  const shareOfFirst = (s: number) => {
    let total = 0;
    for (const log of logs) total += Math.exp(-s * (log - logs[0]));
    return 1 / total;
  };
  let low = 0;
  let high = 8;
  for (let i = 0; i < 40; i++) {
    const mid = (low + high) / 2;
    if (shareOfFirst(mid) < topShare) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
