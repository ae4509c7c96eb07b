import express from 'express';
import { createServer, Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/** What a service reports about the things it depends on: `up`, or why not. */
export type DependencyChecks = Record<string, string>;

export interface Readiness {
  /** Ready to answer: every dependency it cannot work without is up. */
  ready: boolean;
  checks: DependencyChecks;
}

export interface HttpServiceOptions {
  name: string;
  port: number;
  host: string;
  /** Everything but the health endpoints: the GraphQL endpoint and its assets. */
  mount(app: express.Express): void;
  readiness(): Promise<Readiness>;
  /** `GET /metrics` (Prometheus), with its own access check; none when null. */
  metrics?: express.RequestHandler | null;
  /** Serve HTTPS with this certificate and key (PEM) instead of plain HTTP. */
  tls?: TlsIdentity | null;
}

/** A service's own TLS certificate (with any intermediates) and private key, PEM. */
export interface TlsIdentity {
  cert: string;
  key: string;
}

export interface HttpService {
  server: Server;
  port: number;
  listen(): Promise<void>;
}

/**
 * The HTTP side every service shares: `cache-control: no-store` on every answer,
 * `GET /health/live` (the process answers) and
 * `GET /health/ready` (its dependencies answer; 503 otherwise), for a load balancer or an
 * orchestrator. The GraphQL server is mounted by the caller; Apollo's drain plugin, given
 * `server`, lets in-flight requests finish when the service stops.
 */
export function httpService(options: HttpServiceOptions): HttpService {
  const app = express();
  app.disable('x-powered-by');
  app.use(noStore);
  app.get('/health/live', (_req, res) => {
    res.json({ service: options.name, status: 'live' });
  });
  app.get('/health/ready', async (_req, res) => {
    const { ready, checks } = await options
      .readiness()
      .catch((error: unknown) => ({ ready: false, checks: { service: describe(error) } }));
    res
      .status(ready ? 200 : 503)
      .json({ service: options.name, status: ready ? 'ready' : 'not ready', checks });
  });
  if (options.metrics) app.get('/metrics', options.metrics);
  // An https.Server is an http.Server to everything that stops it (Apollo's drain plugin included).
  const server = options.tls
    ? (createTlsServer({ cert: options.tls.cert, key: options.tls.key }, app) as unknown as Server)
    : createServer(app);
  // Node closes an idle keep-alive connection after 5 s by default, while a client (undici, a load
  // balancer) may be reusing it at that moment: the request then fails with ECONNRESET. The server
  // keeps an idle connection longer than any client or balancer in front of it (an AWS load
  // balancer's idle timeout is 60 s), so it is always the client that closes one.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  const service: HttpService = {
    server,
    port: options.port,
    async listen() {
      options.mount(app);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => resolve());
      });
      service.port = (server.address() as AddressInfo).port;
    },
  };
  return service;
}

/**
 * Every answer about a person is personal data: no browser, proxy or gateway cache may keep it
 * (`no-store`), answer or error. Said once for every path of every service (GraphQL, tokens,
 * health, metrics, assets), before any of them can answer: none is left to remember it.
 */
const noStore: express.RequestHandler = (_req, res, next) => {
  res.setHeader('cache-control', 'no-store');
  next();
};

/** How long a service keeps an idle keep-alive connection open. */
export const KEEP_ALIVE_MS = 65_000;

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
