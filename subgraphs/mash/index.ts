import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import type { SubgraphDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { seedMash } from './data';
import {
  AgencyCheckTask,
  Case,
  Decision,
  DemographicCorrection,
  IdentityMatchDecision,
  RecordedGround,
  Referral,
  Subject,
} from './entities';
import {
  CaseChronologyResolver,
  ChronologyEventResolver,
  EXTERNAL_EVENTS_FIELDS,
  keepingRepresentation,
  SubjectChronologyResolver,
} from './chronologyResolver';
import { MatchDecisionResolver } from './matchDecisionResolver';
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
  entities: [
    Referral,
    Case,
    Subject,
    RecordedGround,
    AgencyCheckTask,
    Decision,
    IdentityMatchDecision,
    DemographicCorrection,
  ],
  migrations,
  buildSchema: () =>
    buildFederatedSchema(
      {
        resolvers: [
          CaseResolver,
          SubjectResolver,
          MatchDecisionResolver,
          PolicyMatrixResolver,
          WorkflowResolver,
          SubjectChronologyResolver,
          CaseChronologyResolver,
          ChronologyEventResolver,
          ...EXTERNAL_EVENTS_FIELDS,
        ],
      },
      keepingRepresentation(mashReferenceResolvers),
    ),
  seed: seedMash,
  createContext: createMashContext,
};
