import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import {
  CUSTODIAN_RELEASE_ENTITIES,
  custodianReleaseResolver,
} from '../../schema/custodianRelease';
import type { AgencyDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { domesticAbusePolicy } from './policy';
import { seedDomesticAbuse } from './data';
import {
  DomesticAbuseCase,
  DomesticAbuseClient,
  DomesticAbuseInvolvement,
  Subject,
} from './entities';
import {
  createDomesticAbuseContext,
  DomesticAbuseCheckResolver,
  DomesticAbuseEventsResolver,
} from './resolver';

/**
 * The domestic abuse service's subgraph (the IDVA service and the MARAC): DASH risk level, MARAC
 * referral and meeting dates, safety planning — and never an address.
 */
export const domesticAbuse: AgencyDefinition = {
  name: 'domestic-abuse',
  custodian: 'Domestic abuse service (IDVA) and MARAC',
  entities: [
    DomesticAbuseClient,
    DomesticAbuseCase,
    DomesticAbuseInvolvement,
    ...CUSTODIAN_RELEASE_ENTITIES,
  ],
  migrations,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        DomesticAbuseEventsResolver,
        DomesticAbuseCheckResolver,
        custodianReleaseResolver('domestic-abuse'),
      ],
      orphanedTypes: [Subject],
    }),
  seed: seedDomesticAbuse,
  createContext: createDomesticAbuseContext,
  policy: domesticAbusePolicy,
};
