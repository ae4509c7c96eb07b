import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { getOperationAST, Kind, parse, print } from 'graphql';

/**
 * The operations registered for service accounts, as Apollo's persisted query manifest
 * (`@apollo/generate-persisted-query-manifest`'s format): each operation's `id` is the SHA-256 of
 * its `body`, which a client sends as `extensions.persistedQuery.sha256Hash` (version 1) instead
 * of the document.
 */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: PersistedOperation[];
}

export interface PersistedOperation {
  id: string;
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  body: string;
}

/** Where the registered operations live: one `.graphql` file per operation, a folder per kind of client. */
export const OPERATIONS_DIR = __dirname;
export const MANIFEST_FILE = path.join(OPERATIONS_DIR, 'persisted-query-manifest.json');

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * An operation's registered form: printed by graphql-js, so comments and layout in the file are
 * not part of it, and a client sending the same operation laid out otherwise sends the same one.
 */
export function registeredBody(document: string): string {
  return print(parse(document));
}

/** One operation from one file: exactly one named operation, named as its file. */
export function operationFromFile(file: string, text: string): PersistedOperation {
  const document = parse(text);
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation = getOperationAST(document);
  const expected = path.basename(file, '.graphql');
  if (operations.length !== 1 || !operation?.name)
    throw new Error(`${file}: a registered operation file holds exactly one named operation.`);
  if (operation.name.value !== expected)
    throw new Error(
      `${file}: the operation is named ${operation.name.value}; name it ${expected}.`,
    );
  const body = print(document);
  return { id: sha256(body), name: operation.name.value, type: operation.operation, body };
}

/** The manifest of every `.graphql` file under `operations/`, in a stable order. */
export function buildManifest(dir = OPERATIONS_DIR): PersistedQueryManifest {
  const files = graphqlFiles(dir).sort();
  const operations = files.map((file) =>
    operationFromFile(path.relative(dir, file), readFileSync(file, 'utf8')),
  );
  const names = operations.map((o) => o.name);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0)
    throw new Error(
      `Two registered operations share a name: ${[...new Set(repeated)].join(', ')}.`,
    );
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

export function manifestText(manifest: PersistedQueryManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function graphqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return graphqlFiles(full);
    return entry.name.endsWith('.graphql') ? [full] : [];
  });
}
