import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import type { AgencyDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { policePolicy } from './policy';
import { seedPolice } from './data';
import {
  CustodianRelease,
  FlaggedRecordDisclosure,
  PoliceArrest,
  PoliceIncident,
  PoliceInvolvement,
  PolicePerson,
  Subject,
} from './entities';
import {
  createPoliceContext,
  CustodianReleaseResolver,
  IncidentRecordResolver,
  PoliceCheckResolver,
  PoliceEventsResolver,
} from './resolver';

/** The police force's subgraph: incidents, arrests and domestic-abuse risk for a subject. */
export const police: AgencyDefinition = {
  name: 'police',
  custodian: 'Police',
  entities: [
    PolicePerson,
    PoliceIncident,
    PoliceInvolvement,
    PoliceArrest,
    CustodianRelease,
    FlaggedRecordDisclosure,
  ],
  migrations,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        PoliceEventsResolver,
        PoliceCheckResolver,
        IncidentRecordResolver,
        CustodianReleaseResolver,
      ],
      orphanedTypes: [Subject],
    }),
  seed: seedPolice,
  createContext: createPoliceContext,
  policy: policePolicy,
};
