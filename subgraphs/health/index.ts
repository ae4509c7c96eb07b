import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import {
  CUSTODIAN_RELEASE_ENTITIES,
  custodianReleaseResolver,
} from '../../schema/custodianRelease';
import type { AgencyDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { healthPolicy } from './policy';
import { seedHealth } from './data';
import { HealthContact, HealthPatient, HealthReferral, Subject } from './entities';
import { createHealthContext, HealthCheckResolver, HealthEventsResolver } from './resolver';

/**
 * Health's subgraph: GP registration, A&E, health visiting, school nursing, maternity, CAMHS, and
 * the referrals into its services (who referred, and why).
 */
export const health: AgencyDefinition = {
  name: 'health',
  custodian: 'NHS health services',
  entities: [HealthPatient, HealthContact, HealthReferral, ...CUSTODIAN_RELEASE_ENTITIES],
  migrations,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [HealthEventsResolver, HealthCheckResolver, custodianReleaseResolver('health')],
      orphanedTypes: [Subject],
    }),
  seed: seedHealth,
  createContext: createHealthContext,
  policy: healthPolicy,
};
