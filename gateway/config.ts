import { DEFAULT_POPULATION } from '../synthetic/population';

export interface GatewayConfig {
  /** Port of the gateway; the subgraphs take the ports after it. */
  port: number;
  /** How long the gateway waits for an agency before marking its checks UNAVAILABLE. */
  subgraphTimeoutMs: number;
  /** The synthetic population of the embedded demo. */
  seed: number;
  families: number;
}

/** Configuration from the environment, checked once at start with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return {
    port: integer(env, 'PORT', 4000, 0, 65535),
    subgraphTimeoutMs: integer(env, 'SUBGRAPH_TIMEOUT_MS', 5000, 1, 120_000),
    seed: integer(env, 'SEED', DEFAULT_POPULATION.seed, 0, 2 ** 31),
    families: integer(env, 'FAMILIES', DEFAULT_POPULATION.families, 1, 1_000_000),
  };
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `Configuration: ${name} must be a whole number from ${min} to ${max} (got "${raw}").`,
    );
  }
  return value;
}
