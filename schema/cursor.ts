import { GraphQLError } from 'graphql';

/**
 * Opaque page cursors: `kind:value` in base64url, so a client cannot mistake one list's cursor
 * for another's. A cursor this API did not give out is bad input, with a code.
 */
export function encodeCursor(kind: string, value: string | number): string {
  return Buffer.from(`${kind}:${value}`).toString('base64url');
}

export function decodeCursor(kind: string, cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString();
  if (!decoded.startsWith(`${kind}:`)) {
    throw new GraphQLError('after is not a cursor this API gave out.', {
      extensions: { code: 'BAD_USER_INPUT', argument: 'after' },
    });
  }
  return decoded.slice(kind.length + 1);
}
