import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import {
  CUSTODIAN_RELEASE_ENTITIES,
  custodianReleaseResolver,
} from '../../schema/custodianRelease';
import type { AgencyDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { mentalHealthPolicy } from './policy';
import { seedMentalHealth } from './data';
import {
  MentalHealthAdmission,
  MentalHealthCrisisContact,
  MentalHealthEpisode,
  MentalHealthPatient,
  Subject,
} from './entities';
import {
  createMentalHealthContext,
  MentalHealthCheckResolver,
  MentalHealthEventsResolver,
} from './resolver';

/**
 * The NHS mental health trust's subgraph (distinct from physical health): open to services, the
 * team (CAMHS, adult community, crisis), the care coordinator's team, crisis contacts, admissions
 * including under the Mental Health Act — special category by default.
 */
export const mentalHealth: AgencyDefinition = {
  name: 'mental-health',
  custodian: 'NHS mental health trust',
  entities: [
    MentalHealthPatient,
    MentalHealthEpisode,
    MentalHealthCrisisContact,
    MentalHealthAdmission,
    ...CUSTODIAN_RELEASE_ENTITIES,
  ],
  migrations,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        MentalHealthEventsResolver,
        MentalHealthCheckResolver,
        custodianReleaseResolver('mental-health'),
      ],
      orphanedTypes: [Subject],
    }),
  seed: seedMentalHealth,
  createContext: createMentalHealthContext,
  policy: mentalHealthPolicy,
};
