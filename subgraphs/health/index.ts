import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import {
  CUSTODIAN_RELEASE_ENTITIES,
  custodianReleaseResolver,
} from '../../schema/custodianRelease';
import type { AgencyDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { healthPolicy } from './policy';
import { seedHealth } from './data';
import { HealthContact, HealthPatient, Subject } from './entities';
import { createHealthContext, HealthCheckResolver } from './resolver';

/** Health's subgraph: GP registration, A&E, health visiting, school nursing, maternity, CAMHS. */
export const health: AgencyDefinition = {
  name: 'health',
  custodian: 'NHS health services',
  entities: [HealthPatient, HealthContact, ...CUSTODIAN_RELEASE_ENTITIES],
  migrations,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [HealthCheckResolver, custodianReleaseResolver('health')],
      orphanedTypes: [Subject],
    }),
  seed: seedHealth,
  createContext: createHealthContext,
  policy: healthPolicy,
};
