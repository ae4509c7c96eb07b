import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_POPULATION } from '../synthetic/population';
import { AuthenticationConfig, DEVELOPMENT_AUTHENTICATION } from './authentication';
import {
  DEFAULT_QUERY_LIMITS,
  QUERY_LIMIT_RANGES,
  QUERY_LIMIT_VARIABLES,
  QueryLimits,
} from './queryLimits';
import {
  DEFAULT_SERVICE_ACCOUNT_RATE_LIMIT,
  ServiceAccountRateLimit,
} from './serviceAccountRateLimit';

export interface GatewayConfig {
  /** Port of the gateway; the subgraphs take the ports after it. */
  port: number;
  /** How long the gateway waits for an agency before marking its checks UNAVAILABLE. */
  subgraphTimeoutMs: number;
  /** The synthetic population of the embedded demo. */
  seed: number;
  families: number;
  /** The embedded audit store's directory: it outlives restarts. */
  auditDataDir: string;
  /** Whose tokens are accepted: the identity provider's keys, or the development key pair. */
  authentication: AuthenticationConfig;
  /** What one request may ask (MAX_REQUEST_BYTES, MAX_QUERY_DEPTH …; see queryLimits.ts). */
  limits: QueryLimits;
  /** Each service account's requests per window (SERVICE_ACCOUNT_RATE_LIMIT, SERVICE_ACCOUNT_RATE_WINDOW_SECONDS). */
  serviceAccountRateLimit: ServiceAccountRateLimit;
}

/**
 * Configuration from the environment (PORT, SUBGRAPH_TIMEOUT_MS, SEED, FAMILIES), or the same as
 * command-line flags (--port, --families …), checked once at start with a clear message.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  argv = process.argv.slice(2),
): GatewayConfig {
  const { values: flags } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'subgraph-timeout-ms': { type: 'string' },
      seed: { type: 'string' },
      families: { type: 'string' },
      'audit-data-dir': { type: 'string' },
    },
  });
  const setting = (flag: keyof typeof flags, variable: string) => flags[flag] ?? env[variable];
  return {
    port: integer('PORT', setting('port', 'PORT'), 4000, 0, 65535),
    subgraphTimeoutMs: integer(
      'SUBGRAPH_TIMEOUT_MS',
      setting('subgraph-timeout-ms', 'SUBGRAPH_TIMEOUT_MS'),
      5000,
      1,
      120_000,
    ),
    seed: integer('SEED', setting('seed', 'SEED'), DEFAULT_POPULATION.seed, 0, 2 ** 31),
    auditDataDir:
      setting('audit-data-dir', 'AUDIT_DATA_DIR') || path.join('.mash-dev', 'audit-store'),
    families: integer(
      'FAMILIES',
      setting('families', 'FAMILIES'),
      DEFAULT_POPULATION.families,
      1,
      1_000_000,
    ),
    authentication: {
      jwksUrl: url('AUTH_JWKS_URL', env.AUTH_JWKS_URL),
      publicKeyPem: env.AUTH_PUBLIC_KEY?.trim() || null,
      issuer: env.AUTH_ISSUER || DEVELOPMENT_AUTHENTICATION.issuer,
      audience: env.AUTH_AUDIENCE || DEVELOPMENT_AUTHENTICATION.audience,
    },
    limits: queryLimitsFrom(env),
    serviceAccountRateLimit: serviceAccountRateLimitFrom(env),
  };
}

/**
 * A service account's rate: SERVICE_ACCOUNT_RATE_LIMIT requests (1–100,000) per
 * SERVICE_ACCOUNT_RATE_WINDOW_SECONDS (1–3,600), or the defaults. A bad value throws, or is added
 * to `problems` when given.
 */
export function serviceAccountRateLimitFrom(
  env: NodeJS.ProcessEnv,
  problems?: string[],
): ServiceAccountRateLimit {
  const read = (name: string, fallback: number, max: number) => {
    try {
      return integer(name, env[name], fallback, 1, max);
    } catch (error) {
      if (!problems) throw error;
      problems.push((error as Error).message.replace(/^Configuration: /, ''));
      return fallback;
    }
  };
  return {
    requests: read(
      'SERVICE_ACCOUNT_RATE_LIMIT',
      DEFAULT_SERVICE_ACCOUNT_RATE_LIMIT.requests,
      100_000,
    ),
    windowSeconds: read(
      'SERVICE_ACCOUNT_RATE_WINDOW_SECONDS',
      DEFAULT_SERVICE_ACCOUNT_RATE_LIMIT.windowSeconds,
      3600,
    ),
  };
}

/**
 * The query limits from their environment variables (MAX_REQUEST_BYTES, MAX_QUERY_TOKENS,
 * MAX_QUERY_DEPTH, MAX_QUERY_ALIASES, MAX_QUERY_DIRECTIVES, MAX_QUERY_COST), each a whole number
 * in its range, or its default. A bad value throws, or is added to `problems` when given.
 */
export function queryLimitsFrom(env: NodeJS.ProcessEnv, problems?: string[]): QueryLimits {
  const limits = { ...DEFAULT_QUERY_LIMITS };
  for (const key of Object.keys(limits) as (keyof QueryLimits)[]) {
    const { min, max } = QUERY_LIMIT_RANGES[key];
    try {
      limits[key] = integer(
        QUERY_LIMIT_VARIABLES[key],
        env[QUERY_LIMIT_VARIABLES[key]],
        limits[key],
        min,
        max,
      );
    } catch (error) {
      if (!problems) throw error;
      problems.push((error as Error).message.replace(/^Configuration: /, ''));
    }
  }
  return limits;
}

function url(name: string, raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    return new URL(raw).toString();
  } catch {
    throw new Error(`Configuration: ${name} must be a URL (got "${raw}").`);
  }
}

function integer(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `Configuration: ${name} must be a whole number from ${min} to ${max} (got "${raw}").`,
    );
  }
  return value;
}
