import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import type { SubgraphDefinition } from '../../schema/subgraphDefinition';
import { seedPolice } from './data';
import { PoliceArrest, PoliceIncident, PoliceInvolvement, PolicePerson, Subject } from './entities';
import { createPoliceContext, PoliceCheckResolver } from './resolver';

/** The police force's subgraph: incidents, arrests and domestic-abuse risk for a subject. */
export const police: SubgraphDefinition = {
  name: 'police',
  custodian: 'Police',
  entities: [PolicePerson, PoliceIncident, PoliceInvolvement, PoliceArrest],
  buildSchema: () =>
    buildFederatedSchema({ resolvers: [PoliceCheckResolver], orphanedTypes: [Subject] }),
  seed: seedPolice,
  createContext: createPoliceContext,
};
