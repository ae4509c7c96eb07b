import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import type { AgencyDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { healthPolicy } from './policy';
import { seedHealth } from './data';
import { HealthContact, HealthPatient, Subject } from './entities';
import { createHealthContext, HealthCheckResolver, HealthEventsResolver } from './resolver';

/** Health's subgraph: GP registration, A&E, health visiting, school nursing, maternity, CAMHS. */
export const health: AgencyDefinition = {
  name: 'health',
  custodian: 'NHS health services',
  entities: [HealthPatient, HealthContact],
  migrations,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [HealthEventsResolver, HealthCheckResolver],
      orphanedTypes: [Subject],
    }),
  seed: seedHealth,
  createContext: createHealthContext,
  policy: healthPolicy,
};
