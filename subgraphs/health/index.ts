import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
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
  entities: [HealthPatient, HealthContact, HealthReferral],
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
