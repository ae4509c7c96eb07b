import express from 'express';
import { existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { SignJWT } from 'jose';
import { Role } from '../policies/roles';
import { serviceLog } from '../service/logger';
import { DEVELOPMENT_ISSUER, developmentKeyPair, developmentUserId } from './authentication';
import { REQUEST_ID_HEADER } from './clientErrors';
import { ensureDataDirectory } from './dataDirectory';

/**
 * A registered service account (RFC 6749 "confidential client"): a case system. Its token names
 * it as the user (`sub`, also `client_id`), its role and the agency whose case system it is (`agency`):
 * a case reaches it only when the hub has linked that case to a reference in that agency's system.
 */
export interface ServiceAccountClient {
  clientId: string;
  /** SHA-256 of the secret (hex). The secret is 256 random bits, so a fast hash keeps it safe at rest. */
  secretSha256: string;
  role: Role.CASE_SYSTEM;
  /** The agency that runs the case system (`social-care`): `Case.externalSystem` of its linked cases. */
  agency: string;
}

/** What the embedded demo's token endpoint issues: development-signed JWTs, briefly valid. */
export interface TokenEndpointOptions {
  clients: ServiceAccountClient[];
  /** The gateway's audience (`AUTH_AUDIENCE`), which its tokens carry. */
  audience: string;
  lifetimeSeconds: number;
}

/** A refused token request, as the audit records it: a code, the rule, the request's id. */
export type AuditTokenRefusal = (
  error: { message: string; extensions: { code: string } },
  requestId: string,
  client: string | null,
) => Promise<void>;

export const TOKEN_PATH = '/oauth/token';
export const SERVICE_ACCOUNT_TOKEN_SECONDS = 300;

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compared in constant time, over the digests (equal lengths whatever was sent). */
function secretMatches(secret: string, expectedSha256: string): boolean {
  return timingSafeEqual(
    Buffer.from(secretHash(secret), 'hex'),
    Buffer.from(expectedSha256, 'hex'),
  );
}

// An unknown client is compared with this, so a wrong id costs what a wrong secret costs.
const NO_CLIENT_SHA256 = secretHash(randomBytes(32).toString('hex'));

/** An RFC 6749 §5.2 error response. */
class TokenError extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type',
    readonly description: string,
  ) {
    super(description);
  }
}

interface ClientCredentials {
  clientId: string;
  secret: string;
}

/** HTTP Basic: client id and secret, each form-urlencoded, joined by a colon (RFC 6749 §2.3.1). */
function fromBasic(header: string): ClientCredentials {
  const decoded = Buffer.from(header.slice('Basic '.length).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0)
    throw new TokenError(
      400,
      'invalid_request',
      'The Basic credentials are not client_id:client_secret.',
    );
  const unform = (value: string) => {
    try {
      return decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      throw new TokenError(
        400,
        'invalid_request',
        'The Basic credentials are not form-urlencoded.',
      );
    }
  };
  return { clientId: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)) };
}

function credentialsOf(req: express.Request, form: Record<string, string>): ClientCredentials {
  const authorization = req.headers.authorization;
  const basic = authorization?.startsWith('Basic ') ? fromBasic(authorization) : null;
  const inBody = form.client_id !== undefined || form.client_secret !== undefined;
  if (basic && inBody)
    throw new TokenError(
      400,
      'invalid_request',
      'Authenticate one way only: HTTP Basic or client_id and client_secret in the body, not both.',
    );
  if (basic) return basic;
  if (form.client_id && form.client_secret)
    return { clientId: form.client_id, secret: form.client_secret };
  throw new TokenError(
    401,
    'invalid_client',
    'Authenticate the client: HTTP Basic, or client_id and client_secret in the body.',
  );
}

/** The request's form parameters, each once (RFC 6749 §3.2), none in the address (§2.3.1). */
function formOf(req: express.Request): Record<string, string> {
  if (req.method !== 'POST')
    throw new TokenError(400, 'invalid_request', 'Ask for a token with a POST.');
  if (Object.keys(req.query ?? {}).length > 0)
    throw new TokenError(
      400,
      'invalid_request',
      'Send the parameters in the request body, never in the address: an address is logged, a secret in it leaks.',
    );
  if (!req.is('application/x-www-form-urlencoded'))
    throw new TokenError(
      400,
      'invalid_request',
      'Send the parameters as application/x-www-form-urlencoded.',
    );
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries((req.body ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string')
      throw new TokenError(
        400,
        'invalid_request',
        `The parameter ${name} is given more than once.`,
      );
    form[name] = value;
  }
  return form;
}

/**
 * `POST /oauth/token`, the client credentials grant (RFC 6749 §4.4) for the embedded demo's
 * registered service accounts: a JWT of SERVICE_ACCOUNT_TOKEN_SECONDS, signed with the development
 * key the gateway verifies. In production the council's identity provider issues these tokens and
 * the gateway only verifies them (its JWKS settings); this endpoint is not served there.
 */
export function tokenEndpoint(
  options: TokenEndpointOptions,
  auditRefusal: AuditTokenRefusal,
): express.Router {
  const byId = new Map(options.clients.map((c) => [c.clientId, c]));
  const router = express.Router();
  router.all(
    '/',
    express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 }),
    async (req, res) => {
      const requestId = randomUUID();
      res.setHeader(REQUEST_ID_HEADER, requestId);
      res.setHeader('cache-control', 'no-store');
      res.setHeader('pragma', 'no-cache');
      try {
        const form = formOf(req);
        if (!form.grant_type)
          throw new TokenError(
            400,
            'invalid_request',
            'Say which grant: grant_type=client_credentials.',
          );
        if (form.grant_type !== 'client_credentials')
          throw new TokenError(
            400,
            'unsupported_grant_type',
            `Only grant_type=client_credentials is issued here (service accounts); people sign in with the council's identity provider.`,
          );
        const { clientId, secret } = credentialsOf(req, form);
        const client = byId.get(clientId);
        const matches = secretMatches(secret, client?.secretSha256 ?? NO_CLIENT_SHA256);
        if (!client || !matches)
          throw new TokenError(401, 'invalid_client', 'Unknown client, or the wrong secret.');
        const { privateKey } = await developmentKeyPair();
        const token = await new SignJWT({
          role: client.role,
          agency: client.agency,
          client_id: client.clientId,
        })
          .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
          .setSubject(client.clientId)
          .setIssuer(DEVELOPMENT_ISSUER)
          .setAudience(options.audience)
          .setIssuedAt()
          .setJti(randomUUID())
          .setExpirationTime(`${options.lifetimeSeconds}s`)
          .sign(privateKey);
        serviceLog('gateway').info({ clientId }, 'service account token issued');
        res.json({
          access_token: token,
          token_type: 'Bearer',
          expires_in: options.lifetimeSeconds,
        });
      } catch (error) {
        if (!(error instanceof TokenError)) {
          serviceLog('gateway').error(
            { reason: error instanceof Error ? error.message : String(error) },
            'token not issued',
          );
          res.status(500).json({ error: 'server_error' });
          return;
        }
        if (error.error === 'invalid_client')
          res.setHeader('www-authenticate', 'Basic realm="mash-gateway", charset="UTF-8"');
        // Audited as any refusal (nothing of the credentials kept); if it cannot be, it still stands.
        await auditRefusal(
          {
            message: error.description,
            extensions: { code: error.status === 401 ? 'UNAUTHENTICATED' : 'BAD_REQUEST' },
          },
          requestId,
          req.headers['user-agent'] ?? null,
        ).catch(() => undefined);
        res.status(error.status).json({ error: error.error, error_description: error.description });
      }
    },
  );
  return router;
}

/** The embedded demo's service accounts, with their secrets: kept in `.mash-dev/` (never committed). */
export interface DevelopmentServiceAccount {
  clientId: string;
  secret: string;
  agency: string;
}

const DEVELOPMENT_CLIENTS_FILE = path.join(process.cwd(), '.mash-dev', 'service-accounts.json');

/** The demo's case systems: children's social care's, created with a random secret on first use. */
export function developmentServiceAccounts(): DevelopmentServiceAccount[] {
  if (!existsSync(DEVELOPMENT_CLIENTS_FILE)) {
    ensureDataDirectory(
      path.dirname(DEVELOPMENT_CLIENTS_FILE),
      "the development service accounts' folder",
      'Run the demo from a folder you can write (the accounts are kept in .mash-dev/ there).',
    );
    const accounts: DevelopmentServiceAccount[] = [
      {
        clientId: developmentUserId(Role.CASE_SYSTEM, 'social-care'),
        secret: randomBytes(32).toString('base64url'),
        agency: 'social-care',
      },
    ];
    // Written whole, then linked into place (as the development key is): a process starting at the
    // same moment either wins or reads the winner's file, never half of it.
    const draft = `${DEVELOPMENT_CLIENTS_FILE}.${process.pid}`;
    writeFileSync(draft, JSON.stringify(accounts), { mode: 0o600 });
    try {
      linkSync(draft, DEVELOPMENT_CLIENTS_FILE);
    } catch {
      // Another process created it first: use theirs.
    } finally {
      unlinkSync(draft);
    }
  }
  return JSON.parse(readFileSync(DEVELOPMENT_CLIENTS_FILE, 'utf8')) as DevelopmentServiceAccount[];
}

export function registeredClient(account: DevelopmentServiceAccount): ServiceAccountClient {
  return {
    clientId: account.clientId,
    secretSha256: secretHash(account.secret),
    role: Role.CASE_SYSTEM,
    agency: account.agency,
  };
}
