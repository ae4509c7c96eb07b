import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import {
  CUSTODIAN_RELEASE_ENTITIES,
  custodianReleaseResolver,
} from '../../schema/custodianRelease';
import type { AgencyDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { housingPolicy } from './policy';
import { seedHousing } from './data';
import {
  AntisocialBehaviourCase,
  HomelessnessApplication,
  HousingPerson,
  HousingTenancy,
  Subject,
  TemporaryAccommodationPlacement,
} from './entities';
import { createHousingContext, HousingCheckResolver, HousingEventsResolver } from './resolver';

/**
 * The council housing service's subgraph: tenancies (the address history, without addresses),
 * homelessness applications and decisions, temporary accommodation (out of the area or not),
 * anti-social behaviour cases, overcrowding, arrears and possession proceedings.
 */
export const housing: AgencyDefinition = {
  name: 'housing',
  custodian: 'Council housing services',
  entities: [
    HousingPerson,
    HousingTenancy,
    HomelessnessApplication,
    TemporaryAccommodationPlacement,
    AntisocialBehaviourCase,
    ...CUSTODIAN_RELEASE_ENTITIES,
  ],
  migrations,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [HousingEventsResolver, HousingCheckResolver, custodianReleaseResolver('housing')],
      orphanedTypes: [Subject],
    }),
  seed: seedHousing,
  createContext: createHousingContext,
  policy: housingPolicy,
};
