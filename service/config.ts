import { readFileSync } from 'node:fs';
import { importPKCS8, importSPKI, KeyLike } from 'jose';
import { AuthenticationConfig, DEVELOPMENT_AUTHENTICATION } from '../gateway/authentication';
import { queryLimitsFrom, serviceAccountRateLimitFrom } from '../gateway/config';
import type { ServiceAccountRateLimit } from '../gateway/serviceAccountRateLimit';
import type { QueryLimits } from '../gateway/queryLimits';
import { DEFAULT_POOL_SIZE } from '../database/postgres';
import { SUBGRAPHS } from '../subgraphs';

/** The services of one release: the gateway and every subgraph, each its own process. */
export const SERVICE_NAMES = ['gateway', ...SUBGRAPHS.map((s) => s.name)];

/** Default ports of a local deployment: the gateway, then the subgraphs in order. */
export function defaultPort(service: string): number {
  return 4000 + SERVICE_NAMES.indexOf(service);
}

interface Common {
  port: number;
  /** 127.0.0.1 by default; 0.0.0.0 to be reached from a load balancer or another host. */
  host: string;
  /**
   * Connections its database pool may hold (DATABASE_POOL_SIZE, 10 by default). Services sharing
   * one PostgreSQL server must together stay under its max_connections.
   */
  databasePoolSize: number;
}

export interface SubgraphServiceConfig extends Common {
  kind: 'subgraph';
  name: string;
  databaseUrl: string;
  /** Verifies the access context the gateways sign. */
  accessSigningPublicKey: KeyLike;
  /** Its certificate and key (TLS_CERT_FILE, TLS_KEY_FILE): it serves HTTPS; null: plain HTTP. */
  tls: { cert: string; key: string } | null;
  /** One log line per read answered, naming the gateway request (SUBGRAPH_READ_LOG, on by default). */
  logReads: boolean;
}

export interface GatewayServiceConfig extends Common {
  kind: 'gateway';
  /** Every subgraph of the release by name, where it answers. */
  subgraphUrls: Record<string, string>;
  auditDatabaseUrl: string;
  /** Signs the access context every subgraph verifies; every gateway instance holds the same key. */
  accessSigningPrivateKey: KeyLike;
  subgraphTimeoutMs: number;
  authentication: AuthenticationConfig;
  /** The private CA the subgraphs' certificates come from (SUBGRAPH_CA_FILE), PEM; null: public CAs. */
  subgraphCaPem: string | null;
  /** What one request may ask (MAX_REQUEST_BYTES, MAX_QUERY_DEPTH …). */
  limits: QueryLimits;
  /** Each service account's requests per window, in this gateway instance (SERVICE_ACCOUNT_RATE_LIMIT …). */
  serviceAccountRateLimit: ServiceAccountRateLimit;
  /** The bearer token `/metrics` asks for (METRICS_TOKEN); null: the gateway serves no `/metrics`. */
  metricsToken: string | null;
}

export type ServiceConfig = SubgraphServiceConfig | GatewayServiceConfig;

/**
 * One service's configuration from its environment, checked at start: every problem is listed in
 * one message, and no secret is echoed.
 */
export async function loadServiceConfig(
  service: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServiceConfig> {
  if (!service || !SERVICE_NAMES.includes(service)) {
    throw new Error(`Name the service to start: one of ${SERVICE_NAMES.join(', ')}.`);
  }
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is not set.`);
    return value ?? '';
  };
  const common: Common = {
    port: port(env.PORT, defaultPort(service), problems),
    host: env.HOST?.trim() || '127.0.0.1',
    databasePoolSize: poolSize(env.DATABASE_POOL_SIZE, problems),
  };

  if (service !== 'gateway') {
    const databaseUrl = postgresUrl('DATABASE_URL', required('DATABASE_URL'), problems);
    const pem = required('ACCESS_SIGNING_PUBLIC_KEY');
    const key = pem ? await importSPKI(unescape(pem), 'ES256').catch(() => null) : null;
    if (pem && !key) problems.push('ACCESS_SIGNING_PUBLIC_KEY is not an ES256 public key (PEM).');
    const tls = tlsIdentity(env, problems);
    fail(service, problems);
    return {
      kind: 'subgraph',
      name: service,
      ...common,
      databaseUrl,
      accessSigningPublicKey: key!,
      tls,
      logReads: env.SUBGRAPH_READ_LOG?.trim() !== 'false',
    };
  }

  const subgraphUrls = parseSubgraphUrls(required('SUBGRAPH_URLS'), problems);
  const auditDatabaseUrl = postgresUrl(
    'AUDIT_DATABASE_URL',
    required('AUDIT_DATABASE_URL'),
    problems,
  );
  const pem = required('ACCESS_SIGNING_PRIVATE_KEY');
  const key = pem ? await importPKCS8(unescape(pem), 'ES256').catch(() => null) : null;
  if (pem && !key)
    problems.push('ACCESS_SIGNING_PRIVATE_KEY is not an ES256 private key (PKCS#8 PEM).');
  const development = env.DEVELOPMENT_AUTHENTICATION === 'true';
  if (!development && !env.AUTH_JWKS_URL && !env.AUTH_PUBLIC_KEY) {
    problems.push(
      "Set AUTH_JWKS_URL or AUTH_PUBLIC_KEY (the identity provider's keys), or DEVELOPMENT_AUTHENTICATION=true for a local trial.",
    );
  }
  const timeout = Number(env.SUBGRAPH_TIMEOUT_MS ?? 5000);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 120_000)
    problems.push('SUBGRAPH_TIMEOUT_MS must be a whole number from 1 to 120000.');
  const caFile = env.SUBGRAPH_CA_FILE?.trim();
  const subgraphCaPem = caFile
    ? pemFile('SUBGRAPH_CA_FILE', caFile, 'CERTIFICATE', problems)
    : null;
  // Node reads this one itself at start, and only warns when it cannot: say so plainly instead.
  const extraCas = env.NODE_EXTRA_CA_CERTS?.trim();
  if (extraCas) pemFile('NODE_EXTRA_CA_CERTS', extraCas, 'CERTIFICATE', problems);
  const limits = queryLimitsFrom(env, problems);
  const serviceAccountRateLimit = serviceAccountRateLimitFrom(env, problems);
  const metricsToken = env.METRICS_TOKEN?.trim() || null;
  if (metricsToken && metricsToken.length < 32)
    problems.push('METRICS_TOKEN must be at least 32 characters (e.g. openssl rand -hex 32).');
  fail(service, problems);
  return {
    kind: 'gateway',
    metricsToken,
    ...common,
    subgraphUrls,
    auditDatabaseUrl,
    accessSigningPrivateKey: key!,
    subgraphTimeoutMs: timeout,
    subgraphCaPem,
    limits,
    serviceAccountRateLimit,
    authentication: development
      ? DEVELOPMENT_AUTHENTICATION
      : {
          jwksUrl: env.AUTH_JWKS_URL || null,
          publicKeyPem: env.AUTH_PUBLIC_KEY ? unescape(env.AUTH_PUBLIC_KEY) : null,
          issuer: env.AUTH_ISSUER || DEVELOPMENT_AUTHENTICATION.issuer,
          audience: env.AUTH_AUDIENCE || DEVELOPMENT_AUTHENTICATION.audience,
        },
  };
}

/**
 * A subgraph serves HTTPS when given both its certificate and its key; one without the other is a
 * mistake, not a reason to fall back to plain HTTP.
 */
function tlsIdentity(
  env: NodeJS.ProcessEnv,
  problems: string[],
): { cert: string; key: string } | null {
  const certFile = env.TLS_CERT_FILE?.trim();
  const keyFile = env.TLS_KEY_FILE?.trim();
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile) {
    problems.push(
      `Set both TLS_CERT_FILE and TLS_KEY_FILE to serve HTTPS, or neither for plain HTTP (only ${certFile ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE'} is set).`,
    );
    return null;
  }
  const cert = pemFile('TLS_CERT_FILE', certFile, 'CERTIFICATE', problems);
  const key = pemFile('TLS_KEY_FILE', keyFile, 'PRIVATE KEY', problems);
  return cert && key ? { cert, key } : null;
}

/** A PEM file's text; a problem (naming the variable and the path, never the content) if not. */
function pemFile(name: string, path: string, label: string, problems: string[]): string | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    problems.push(
      `${name}: cannot read ${path} (does the file exist, and may this service read it?).`,
    );
    return null;
  }
  // "PRIVATE KEY" also matches "EC PRIVATE KEY" and "RSA PRIVATE KEY".
  if (!new RegExp(`-----BEGIN [A-Z ]*${label}-----`).test(text)) {
    problems.push(`${name}: ${path} is not a PEM ${label.toLowerCase()}.`);
    return null;
  }
  return text;
}

/** `mash=http://10.0.0.5:4001/,police=http://…`: every subgraph of the release, once. */
function parseSubgraphUrls(raw: string, problems: string[]): Record<string, string> {
  const urls: Record<string, string> = {};
  if (!raw) return urls;
  for (const entry of raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [name, url] = entry.split(/=(.*)/s);
    if (!SUBGRAPHS.some((s) => s.name === name)) {
      problems.push(`SUBGRAPH_URLS names "${name}", which is not a subgraph of this release.`);
    } else if (!isUrl(url, ['http:', 'https:'])) {
      problems.push(`SUBGRAPH_URLS: the address of ${name} is not an http(s) URL.`);
    } else {
      urls[name] = url;
    }
  }
  const missing = SUBGRAPHS.map((s) => s.name).filter((n) => !(n in urls));
  if (missing.length && raw)
    problems.push(`SUBGRAPH_URLS does not say where ${missing.join(', ')} answer.`);
  return urls;
}

function postgresUrl(name: string, raw: string, problems: string[]): string {
  if (raw && !isUrl(raw, ['postgres:', 'postgresql:']))
    problems.push(`${name} must be a postgres:// URL.`);
  return raw;
}

function port(raw: string | undefined, fallback: number, problems: string[]): number {
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    problems.push(`PORT must be a whole number from 0 to 65535 (got "${raw}").`);
  }
  return value;
}

function poolSize(raw: string | undefined, problems: string[]): number {
  if (!raw?.trim()) return DEFAULT_POOL_SIZE;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 1000)
    problems.push(`DATABASE_POOL_SIZE must be a whole number from 1 to 1000 (got "${raw}").`);
  return value;
}

function isUrl(raw: string | undefined, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(raw ?? '').protocol);
  } catch {
    return false;
  }
}

/** A PEM in one environment line may carry its newlines as `\n`. */
function unescape(pem: string): string {
  return pem.replace(/\\n/g, '\n');
}

function fail(service: string, problems: string[]): void {
  if (problems.length === 0) return;
  throw new Error(
    `The ${service} service cannot start; its configuration has problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
  );
}
