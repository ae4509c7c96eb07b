import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { GraphQLError, print } from 'graphql';
import type { Caller } from '../policies/accessContext';
import { isServiceAccount } from '../policies/roles';
import committedManifest from '../operations/persisted-query-manifest.json';
import type { PersistedQueryManifest } from '../operations/persistedQueryManifest';
import type { GatewayContext } from './requestAccess';

export const OPERATION_NOT_REGISTERED = 'OPERATION_NOT_REGISTERED';

/**
 * The operations service accounts may run: the repository's persisted query manifest, by hash and
 * by document. A person's session is not held to it.
 */
export class RegisteredOperations {
  private readonly byId: Map<string, string>;
  private readonly bodies: Set<string>;

  constructor(manifest: PersistedQueryManifest) {
    this.byId = new Map(manifest.operations.map((o) => [o.id, o.body]));
    this.bodies = new Set(manifest.operations.map((o) => o.body));
  }

  /** The registered document with this SHA-256, if any. */
  document(sha256Hash: string): string | undefined {
    return this.byId.get(sha256Hash);
  }

  /** Whether a parsed document is a registered one: the same operation, whatever its layout or comments. */
  registers(document: Parameters<typeof print>[0]): boolean {
    return this.bodies.has(print(document));
  }
}

export function committedOperations(): RegisteredOperations {
  return new RegisteredOperations(committedManifest as PersistedQueryManifest);
}

function notRegistered(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'OPERATION_NOT_REGISTERED', http: { status: 403 } },
  });
}

interface PersistedQueryBody {
  query?: unknown;
  extensions?: { persistedQuery?: { version?: unknown; sha256Hash?: unknown } };
}

function requestedHash(body: unknown): string | null {
  const hash = (body as PersistedQueryBody | null)?.extensions?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? hash : null;
}

/**
 * Apollo's persisted-query convention, answered from the manifest: a request that sends only a
 * registered operation's hash gets that operation's document, which Apollo Server then checks
 * against the hash as for any persisted query. Anyone may send a registered hash; other hashes go
 * on to Apollo Server's own cache (PERSISTED_QUERY_NOT_FOUND when it has not seen them).
 */
export function fillRegisteredDocument(registered: RegisteredOperations) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const body = req.body as PersistedQueryBody | undefined;
    const hash = requestedHash(body);
    if (body && hash && body.query === undefined) {
      const document = registered.document(hash);
      if (document !== undefined) body.query = document;
    }
    next();
  };
}

/**
 * A service account's request that names a hash the manifest does not hold is refused before
 * anything else is looked up (Apollo Server would otherwise offer to learn it). Called with the
 * request's caller once the token is verified.
 */
export function refuseUnregisteredHash(
  registered: RegisteredOperations,
  caller: Caller,
  body: unknown,
): void {
  if (!isServiceAccount(caller.role)) return;
  const hash = requestedHash(body);
  if (hash !== null && registered.document(hash) === undefined)
    throw notRegistered(
      `A service account runs only registered operations; no operation is registered with the hash ${hash.slice(0, 64)}.`,
    );
}

/**
 * A service account's operation must be a registered one, however it was sent (by hash, as the
 * registered document, or laid out otherwise): anything else is refused, whole, with
 * OPERATION_NOT_REGISTERED (403) and audited as a refusal, before the limits or the policies read it.
 */
export function registeredOperationsPlugin(
  registered: RegisteredOperations,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue }) {
      const caller = contextValue.access.caller;
      if (!caller || !isServiceAccount(caller.role)) return;
      return {
        async didResolveOperation({ document }) {
          if (!registered.registers(document))
            throw notRegistered(
              'A service account runs only the operations registered for it (operations/, sent by their sha256Hash): this one is not registered.',
            );
        },
      };
    },
  };
}
