import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import type { SubgraphDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { AuditRecord } from './entities';
import { AuditResolver, createAuditContext } from './resolver';

/**
 * Information governance's subgraph over the audit store (its own database, no agency's): the
 * trail for IG officers, each custodian's view of accesses to its records, the chain check. The
 * gateway writes the trail (`data.ts`); nothing is seeded: the trail starts empty.
 */
export const audit: SubgraphDefinition = {
  name: 'audit',
  custodian: 'Information governance',
  entities: [AuditRecord],
  migrations,
  buildSchema: () => buildFederatedSchema({ resolvers: [AuditResolver] }),
  seed: async () => undefined,
  createContext: createAuditContext,
};
