import type express from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The gateway's Prometheus metrics, one registry per process. Labels are closed sets the system
 * itself names (outcomes, subgraphs, rules, states): never a user, a case or anything a client typed.
 */
export const registry = new Registry();

export const requests = new Counter({
  name: 'mash_gateway_requests_total',
  help: 'Requests answered by the gateway, by the outcome recorded in their audit record.',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const requestDuration = new Histogram({
  name: 'mash_gateway_request_duration_seconds',
  help: 'Time from a request reaching the gateway to its answer, by outcome.',
  labelNames: ['outcome'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const subgraphFetchDuration = new Histogram({
  name: 'mash_subgraph_fetch_duration_seconds',
  help: "Time of one fetch from an agency's subgraph (retry included), by subgraph and result.",
  labelNames: ['subgraph', 'result'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const subgraphRetries = new Counter({
  name: 'mash_subgraph_retries_total',
  help: 'Reads sent to a subgraph a second time after a failure that a retry can mend.',
  labelNames: ['subgraph'] as const,
  registers: [registry],
});

export const withheldFields = new Counter({
  name: 'mash_withheld_fields_total',
  help: 'Fields the policies withheld from what clients asked, by the rule that withheld them.',
  labelNames: ['rule'] as const,
  registers: [registry],
});

/** A circuit's states; the series of its current state is 1, the others 0. */
export const CIRCUIT_STATES = ['closed', 'half_open', 'open'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

export const circuitState = new Gauge({
  name: 'mash_subgraph_circuit_state',
  help: "Each subgraph's circuit breaker: 1 for its current state (closed, half_open, open).",
  labelNames: ['subgraph', 'state'] as const,
  registers: [registry],
});

export function recordCircuitState(subgraph: string, state: CircuitState): void {
  for (const s of CIRCUIT_STATES) circuitState.set({ subgraph, state: s }, s === state ? 1 : 0);
}

export const auditAppendDuration = new Histogram({
  name: 'mash_audit_append_duration_seconds',
  help: 'Time to append one record to the hash-chained audit trail (it is written before each answer).',
  labelNames: ['result'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  registers: [registry],
});

/** Times `work` into `histogram` (seconds), labelled `ok` or `failed`. */
export async function timed<T>(histogram: Histogram<'result'>, work: () => Promise<T>): Promise<T> {
  const end = histogram.startTimer();
  try {
    const value = await work();
    end({ result: 'ok' });
    return value;
  } catch (error) {
    end({ result: 'failed' });
    throw error;
  }
}

/**
 * Who may read `/metrics`: holders of `token` (`Authorization: Bearer <METRICS_TOKEN>`), or, with
 * no token, anyone who reaches the port (the embedded demo, which listens on loopback only). The
 * production gateway service serves `/metrics` only when METRICS_TOKEN is set.
 */
export interface MetricsAccess {
  token: string | null;
}

/** `GET /metrics` in Prometheus's text format, behind its token. */
export function metricsEndpoint(access: MetricsAccess): express.RequestHandler {
  const expected = access.token ? Buffer.from(`Bearer ${access.token}`) : null;
  return async (req, res) => {
    if (expected) {
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res
          .status(401)
          .set('www-authenticate', 'Bearer')
          .type('text/plain')
          .send('Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.\n');
        return;
      }
    }
    res.type(registry.contentType).send(await registry.metrics());
  };
}
