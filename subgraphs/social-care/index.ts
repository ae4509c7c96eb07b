import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import {
  CUSTODIAN_RELEASE_ENTITIES,
  custodianReleaseResolver,
} from '../../schema/custodianRelease';
import type { AgencyDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { socialCarePolicy } from './policy';
import { seedSocialCare } from './data';
import { SocialCareEpisode, SocialCarePerson, Subject } from './entities';
import {
  createSocialCareContext,
  SocialCareCheckResolver,
  SocialCareEventsResolver,
} from './resolver';

/** Children's social care's subgraph: past referrals, assessments, CIN/CP plans, looked-after episodes. */
export const socialCare: AgencyDefinition = {
  name: 'social-care',
  custodian: "Children's social care",
  entities: [SocialCarePerson, SocialCareEpisode, ...CUSTODIAN_RELEASE_ENTITIES],
  migrations,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        SocialCareEventsResolver,
        SocialCareCheckResolver,
        custodianReleaseResolver('social-care'),
      ],
      orphanedTypes: [Subject],
    }),
  seed: seedSocialCare,
  createContext: createSocialCareContext,
  policy: socialCarePolicy,
};
