import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import {
  CUSTODIAN_RELEASE_ENTITIES,
  custodianReleaseResolver,
} from '../../schema/custodianRelease';
import type { AgencyDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { policePolicy } from './policy';
import { seedPolice } from './data';
import { PoliceArrest, PoliceIncident, PoliceInvolvement, PolicePerson, Subject } from './entities';
import { createPoliceContext, PoliceCheckResolver, PoliceEventsResolver } from './resolver';

/** The police force's subgraph: incidents, arrests and domestic-abuse risk for a subject. */
export const police: AgencyDefinition = {
  name: 'police',
  custodian: 'Police',
  entities: [
    PolicePerson,
    PoliceIncident,
    PoliceInvolvement,
    PoliceArrest,
    ...CUSTODIAN_RELEASE_ENTITIES,
  ],
  migrations,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [PoliceEventsResolver, PoliceCheckResolver, custodianReleaseResolver('police')],
      orphanedTypes: [Subject],
    }),
  seed: seedPolice,
  createContext: createPoliceContext,
  policy: policePolicy,
};
