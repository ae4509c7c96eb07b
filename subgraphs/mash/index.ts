import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import type { SubgraphDefinition } from '../../schema/subgraphDefinition';
import { seedMash } from './data';
import { Case, RecordedGround, Referral, Subject } from './entities';
import {
  CaseResolver,
  createMashContext,
  mashReferenceResolvers,
  PolicyMatrixResolver,
  SubjectResolver,
} from './resolver';

/** The hub's own subgraph: referrals, cases and the subjects named in them (owner of `Subject`). */
export const mash: SubgraphDefinition = {
  name: 'mash',
  custodian: 'Multi-Agency Safeguarding Hub',
  entities: [Referral, Case, Subject, RecordedGround],
  buildSchema: () =>
    buildFederatedSchema(
      { resolvers: [CaseResolver, SubjectResolver, PolicyMatrixResolver] },
      mashReferenceResolvers,
    ),
  seed: seedMash,
  createContext: createMashContext,
};
