import autocannon from 'autocannon';

export interface LoadResult {
  concurrency: number;
  requests: number;
  /** Requests sent, counting those still in flight when the run ended (they were served too). */
  sent: number;
  errors: number;
  medianMs: number;
  p95Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
}

/**
 * Drives one endpoint with autocannon for a fixed time at a fixed concurrency (connections, one
 * request in flight on each) and reports latency percentiles from every response, and the
 * throughput. A non-2xx answer or a socket error counts as an error.
 */
export async function runLoad(options: {
  url: string;
  body: string;
  headers: Record<string, string>;
  concurrency: number;
  durationSeconds: number;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: options.body,
        connections: options.concurrency,
        pipelining: 1,
        duration: options.durationSeconds,
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) =>
      latencies.push(responseTime),
    );
  });
  latencies.sort((a, b) => a - b);
  return {
    concurrency: options.concurrency,
    requests: latencies.length,
    sent: result.requests.sent,
    errors: result.errors + result.timeouts + result.non2xx,
    medianMs: percentile(latencies, 0.5),
    p95Ms: percentile(latencies, 0.95),
    p99Ms: percentile(latencies, 0.99),
    requestsPerSecond: round(latencies.length / options.durationSeconds),
  };
}

/** Sequential requests: the latency of one request at a time. */
export async function timeSequential(
  send: () => Promise<void>,
  count: number,
): Promise<{ medianMs: number; p95Ms: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await send();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { medianMs: percentile(times, 0.5), p95Ms: percentile(times, 0.95) };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]);
}

export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
