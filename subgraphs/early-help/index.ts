import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import {
  CUSTODIAN_RELEASE_ENTITIES,
  custodianReleaseResolver,
} from '../../schema/custodianRelease';
import type { AgencyDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { earlyHelpPolicy } from './policy';
import { seedEarlyHelp } from './data';
import { EarlyHelpEpisode, EarlyHelpPerson, Subject } from './entities';
import {
  createEarlyHelpContext,
  EarlyHelpCheckResolver,
  EarlyHelpEventsResolver,
} from './resolver';

/**
 * The council's early help service: early help assessments, family support plans, the lead
 * professional, and episodes with their outcomes (stepped up, stepped down, closed).
 */
export const earlyHelp: AgencyDefinition = {
  name: 'early-help',
  custodian: 'Early help service',
  entities: [EarlyHelpPerson, EarlyHelpEpisode, ...CUSTODIAN_RELEASE_ENTITIES],
  migrations,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        EarlyHelpEventsResolver,
        EarlyHelpCheckResolver,
        custodianReleaseResolver('early-help'),
      ],
      orphanedTypes: [Subject],
    }),
  seed: seedEarlyHelp,
  createContext: createEarlyHelpContext,
  policy: earlyHelpPolicy,
};
