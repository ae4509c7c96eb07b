import { existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import {
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  importSPKI,
  JWTPayload,
  jwtVerify,
  KeyLike,
  SignJWT,
} from 'jose';
import type { Caller } from '../policies/accessContext';
import { Role } from '../policies/roles';
import { ensureDataDirectory } from './dataDirectory';

export interface AuthenticationConfig {
  /** Production: the identity provider's JWKS address, or its public key (PEM). */
  jwksUrl: string | null;
  publicKeyPem: string | null;
  issuer: string;
  audience: string;
}

export const DEVELOPMENT_ISSUER = 'mash-gateway-development';

/** Without an identity provider, the development key pair signs and verifies (embedded demo only). */
export const DEVELOPMENT_AUTHENTICATION: AuthenticationConfig = {
  jwksUrl: null,
  publicKeyPem: null,
  issuer: DEVELOPMENT_ISSUER,
  audience: 'mash-gateway',
};
const DEVELOPMENT_KEY_FILE = path.join(process.cwd(), '.mash-dev', 'token-signing-key.json');

/**
 * Verifies bearer tokens and reads who is calling. Production takes the identity provider's keys
 * from configuration; the embedded demo signs and verifies with a development key pair kept in
 * `.mash-dev/` (never committed), so `npm run token` and `npm start` agree.
 */
export async function createTokenVerifier(
  config: AuthenticationConfig,
): Promise<(token: string) => Promise<Caller>> {
  const options = { issuer: config.issuer, audience: config.audience };
  const jwks = config.jwksUrl ? createRemoteJWKSet(new URL(config.jwksUrl)) : null;
  const key = jwks
    ? null
    : config.publicKeyPem
      ? await importSPKI(config.publicKeyPem, 'ES256')
      : (await developmentKeyPair()).publicKey;
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = jwks
        ? await jwtVerify(token, jwks, options)
        : await jwtVerify(token, key!, options));
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw unauthenticated(
        expired
          ? 'The token has expired.'
          : 'The token is not valid (signature, issuer or audience).',
      );
    }
    return callerFrom(payload);
  };
}

function callerFrom(payload: JWTPayload): Caller {
  const role = payload.role as Role;
  if (!payload.sub || !Object.values(Role).includes(role)) {
    throw unauthenticated('The token must name the user (sub) and a role.');
  }
  if (
    (role === Role.AGENCY_RESEARCHER || role === Role.CASE_SYSTEM) &&
    typeof payload.agency !== 'string'
  ) {
    throw unauthenticated(`A ${role} token must name its agency.`);
  }
  return {
    userId: payload.sub,
    role,
    agency: typeof payload.agency === 'string' ? payload.agency : null,
    team: typeof payload.team === 'string' ? payload.team : null,
  };
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

let developmentKeys: Promise<{ privateKey: KeyLike; publicKey: KeyLike }> | null = null;

/** The development key pair, created on first use. Embedded demo only. */
export function developmentKeyPair(): Promise<{ privateKey: KeyLike; publicKey: KeyLike }> {
  developmentKeys ??= loadOrCreateDevelopmentKeys();
  return developmentKeys;
}

async function loadOrCreateDevelopmentKeys() {
  if (!existsSync(DEVELOPMENT_KEY_FILE)) {
    const pair = await generateKeyPair('ES256', { extractable: true });
    const stored = {
      privateKey: await exportJWK(pair.privateKey),
      publicKey: await exportJWK(pair.publicKey),
    };
    ensureDataDirectory(
      path.dirname(DEVELOPMENT_KEY_FILE),
      "the development signing key's folder",
      'Run the demo from a folder you can write (the key is kept in .mash-dev/ there).',
    );
    // Written whole, then linked into place: a process starting at the same moment either wins or
    // reads the winner's keys, never half a file.
    const draft = `${DEVELOPMENT_KEY_FILE}.${process.pid}`;
    writeFileSync(draft, JSON.stringify(stored), { mode: 0o600 });
    try {
      linkSync(draft, DEVELOPMENT_KEY_FILE);
    } catch {
      // Another process created it first: use theirs.
    } finally {
      unlinkSync(draft);
    }
  }
  const stored = JSON.parse(readFileSync(DEVELOPMENT_KEY_FILE, 'utf8'));
  return {
    privateKey: (await importJWK(stored.privateKey, 'ES256')) as KeyLike,
    publicKey: (await importJWK(stored.publicKey, 'ES256')) as KeyLike,
  };
}

export interface DevelopmentIdentity {
  userId: string;
  role: Role;
  agency?: string | null;
  team?: string | null;
}

/**
 * The development user id of a role, the same in `npm start`'s tokens, GraphiQL's tabs and
 * `npm run token`: `manager.demo`, `researcher.police.demo`, `case-system.social-care.demo`.
 */
export function developmentUserId(role: Role, agency?: string | null): string {
  const names: Record<Role, string> = {
    [Role.MASH_MANAGER]: 'manager',
    [Role.AGENCY_RESEARCHER]: 'researcher',
    [Role.CASE_SYSTEM]: 'case-system',
    [Role.IG_OFFICER]: 'ig',
    [Role.REFERRER]: 'referrer',
  };
  return `${names[role]}${agency ? `.${agency}` : ''}.demo`;
}

/** A development token for the embedded demo and the tests. */
export async function issueDevelopmentToken(
  identity: DevelopmentIdentity,
  options: { audience?: string; lifetime?: string; privateKey?: KeyLike } = {},
): Promise<string> {
  const privateKey = options.privateKey ?? (await developmentKeyPair()).privateKey;
  return new SignJWT({
    role: identity.role,
    agency: identity.agency ?? undefined,
    team: identity.team ?? undefined,
  })
    .setProtectedHeader({ alg: 'ES256' })
    .setSubject(identity.userId)
    .setIssuer(DEVELOPMENT_ISSUER)
    .setAudience(options.audience ?? 'mash-gateway')
    .setIssuedAt()
    .setExpirationTime(options.lifetime ?? '8h')
    .sign(privateKey);
}
