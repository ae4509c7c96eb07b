/**
 * How the gateway treats each subgraph that is slow or failing: its deadline, whether a failed read
 * is tried once more, and when its circuit opens. From the environment, checked at start.
 */
export interface SubgraphResilience {
  /** Each attempt's deadline: no answer by then is a failure ("timed out after N ms"). */
  timeoutMs: number;
  /** Send a read (a query, never a mutation) once more after a failure a retry can mend. */
  retryReads: boolean;
  circuit: CircuitSettings;
}

export interface CircuitSettings {
  /** The circuit can open only once this many fetches were made in the window… */
  minRequests: number;
  /** …and more than this share of them (per cent) failed. */
  errorPercent: number;
  /** The rolling window the counts above are taken over. */
  windowMs: number;
  /** How long an open circuit fails fast before one probe is let through (half-open). */
  resetMs: number;
}

export const DEFAULT_CIRCUIT: CircuitSettings = {
  minRequests: 5,
  errorPercent: 50,
  windowMs: 10_000,
  resetMs: 30_000,
};

/** `SUBGRAPH_TIMEOUT_MS_SOCIAL_CARE` for `social-care`. */
export function timeoutVariable(subgraph: string): string {
  return `SUBGRAPH_TIMEOUT_MS_${subgraph.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Every subgraph's settings: SUBGRAPH_TIMEOUT_MS_<NAME> overrides the common deadline for one
 * subgraph; SUBGRAPH_RETRY_READS (true/false), CIRCUIT_MIN_REQUESTS, CIRCUIT_ERROR_PERCENT,
 * CIRCUIT_WINDOW_MS and CIRCUIT_RESET_MS apply to all. Every problem is named in one message; a
 * per-subgraph variable naming no subgraph is refused (a typo must not leave the default in force).
 */
export function resilienceFromEnvironment(
  subgraphs: readonly string[],
  defaultTimeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, SubgraphResilience> {
  const problems: string[] = [];
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
      return fallback;
    }
    return value;
  };
  const retryRaw = env.SUBGRAPH_RETRY_READS?.trim();
  if (retryRaw && retryRaw !== 'true' && retryRaw !== 'false')
    problems.push(`SUBGRAPH_RETRY_READS must be true or false (got "${retryRaw}").`);
  const circuit: CircuitSettings = {
    minRequests: whole('CIRCUIT_MIN_REQUESTS', DEFAULT_CIRCUIT.minRequests, 1, 10_000),
    errorPercent: whole('CIRCUIT_ERROR_PERCENT', DEFAULT_CIRCUIT.errorPercent, 0, 99),
    windowMs: whole('CIRCUIT_WINDOW_MS', DEFAULT_CIRCUIT.windowMs, 100, 3_600_000),
    resetMs: whole('CIRCUIT_RESET_MS', DEFAULT_CIRCUIT.resetMs, 10, 3_600_000),
  };
  const known = new Set(subgraphs.map(timeoutVariable));
  for (const name of Object.keys(env)) {
    if (name.startsWith('SUBGRAPH_TIMEOUT_MS_') && !known.has(name))
      problems.push(
        `${name} names no subgraph: use one of ${[...known].join(', ')}, or SUBGRAPH_TIMEOUT_MS for all.`,
      );
  }
  const settings: Record<string, SubgraphResilience> = {};
  for (const subgraph of subgraphs) {
    settings[subgraph] = {
      timeoutMs: whole(timeoutVariable(subgraph), defaultTimeoutMs, 1, 120_000),
      retryReads: retryRaw !== 'false',
      circuit,
    };
  }
  if (problems.length > 0)
    throw new Error(
      `Configuration: the subgraph settings have problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  return settings;
}
