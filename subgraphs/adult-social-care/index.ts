import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import {
  CUSTODIAN_RELEASE_ENTITIES,
  custodianReleaseResolver,
} from '../../schema/custodianRelease';
import type { AgencyDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { adultSocialCarePolicy } from './policy';
import { seedAdultSocialCare } from './data';
import {
  AdultSocialCarePerson,
  CareAndSupportNeed,
  CarerRecord,
  SafeguardingAdultsConcern,
  Subject,
} from './entities';
import {
  AdultSocialCareCheckResolver,
  AdultSocialCareEventsResolver,
  createAdultSocialCareContext,
} from './resolver';

/**
 * Adult social care's subgraph: adults with care and support needs, safeguarding adults concerns
 * and section 42 enquiries (Care Act 2014) with outcomes, carers in the household.
 */
export const adultSocialCare: AgencyDefinition = {
  name: 'adult-social-care',
  custodian: 'Adult social care',
  entities: [
    AdultSocialCarePerson,
    CareAndSupportNeed,
    SafeguardingAdultsConcern,
    CarerRecord,
    ...CUSTODIAN_RELEASE_ENTITIES,
  ],
  migrations,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        AdultSocialCareEventsResolver,
        AdultSocialCareCheckResolver,
        custodianReleaseResolver('adult-social-care'),
      ],
      orphanedTypes: [Subject],
    }),
  seed: seedAdultSocialCare,
  createContext: createAdultSocialCareContext,
  policy: adultSocialCarePolicy,
};
