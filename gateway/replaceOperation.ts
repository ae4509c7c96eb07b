import { DocumentNode, print } from 'graphql';
import { createHash } from 'node:crypto';

/**
 * Gives the gateway a rewritten operation to plan. Replace, never mutate: Apollo Server caches the
 * validated document by reference. And set the hash of the new one: the gateway caches query plans
 * by hash, so a stale hash would serve one caller's plan to the next.
 */
export function replaceOperation(
  requestContext: { document: DocumentNode; queryHash: string },
  document: DocumentNode,
): void {
  requestContext.document = document;
  requestContext.queryHash = createHash('sha256').update(print(document)).digest('hex');
}
