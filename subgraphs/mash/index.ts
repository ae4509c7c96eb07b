import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import type { SubgraphDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { seedMash } from './data';
import { AgencyCheckTask, Case, Decision, RecordedGround, Referral, Subject } from './entities';
import {
  CaseResolver,
  createMashContext,
  mashReferenceResolvers,
  PolicyMatrixResolver,
  SubjectResolver,
} from './resolver';
import { WorkflowResolver } from './workflowResolver';

/**
 * The hub's own subgraph: referrals, cases and the subjects named in them (owner of `Subject`), and
 * the workflow from referral to decision (`workflowResolver.ts`).
 */
export const mash: SubgraphDefinition = {
  name: 'mash',
  custodian: 'Multi-Agency Safeguarding Hub',
  entities: [Referral, Case, Subject, RecordedGround, AgencyCheckTask, Decision],
  migrations,
  buildSchema: () =>
    buildFederatedSchema(
      { resolvers: [CaseResolver, SubjectResolver, PolicyMatrixResolver, WorkflowResolver] },
      mashReferenceResolvers,
    ),
  seed: seedMash,
  createContext: createMashContext,
};
