import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import {
  CUSTODIAN_RELEASE_ENTITIES,
  custodianReleaseResolver,
} from '../../schema/custodianRelease';
import type { AgencyDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { probationPolicy } from './policy';
import { seedProbation } from './data';
import {
  ProbationLicenceCondition,
  ProbationPerson,
  ProbationSupervision,
  Subject,
} from './entities';
import {
  createProbationContext,
  ProbationCheckResolver,
  ProbationEventsResolver,
} from './resolver';

/**
 * The probation service's subgraph: people under supervision, the index offence, sentence and
 * licence dates, MAPPA, risk of serious harm, and licence conditions relevant to children.
 */
export const probation: AgencyDefinition = {
  name: 'probation',
  custodian: 'Probation Service',
  entities: [
    ProbationPerson,
    ProbationSupervision,
    ProbationLicenceCondition,
    ...CUSTODIAN_RELEASE_ENTITIES,
  ],
  migrations,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        ProbationEventsResolver,
        ProbationCheckResolver,
        custodianReleaseResolver('probation'),
      ],
      orphanedTypes: [Subject],
    }),
  seed: seedProbation,
  createContext: createProbationContext,
  policy: probationPolicy,
};
