import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import type { AgencyDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { earlyHelpPolicy } from './policy';
import { seedEarlyHelp } from './data';
import { EarlyHelpEpisode, EarlyHelpPerson, Subject } from './entities';
import { createEarlyHelpContext, EarlyHelpCheckResolver } from './resolver';

/**
 * The council's early help service: early help assessments, family support plans, the lead
 * professional, and episodes with their outcomes (stepped up, stepped down, closed).
 */
export const earlyHelp: AgencyDefinition = {
  name: 'early-help',
  custodian: 'Early help service',
  entities: [EarlyHelpPerson, EarlyHelpEpisode],
  migrations,
  buildSchema: () =>
    buildFederatedSchema({ resolvers: [EarlyHelpCheckResolver], orphanedTypes: [Subject] }),
  seed: seedEarlyHelp,
  createContext: createEarlyHelpContext,
  policy: earlyHelpPolicy,
};
