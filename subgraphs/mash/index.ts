import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import type { SubgraphDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { seedMash } from './data';
import { AgencyCheckTask } from './entities/agencyCheckTask';
import { Case } from './entities/case';
import { Consultation } from './entities/consultation';
import { CapacityAssessment, RecordedGround } from './entities/consent';
import { Decision } from './entities/decision';
import { DemographicCorrection } from './entities/demographicCorrection';
import { IdentityMatchDecision } from './entities/identityMatchDecision';
import { Referral } from './entities/referral';
import { Subject } from './entities/subject';
import { ConsultationResolver } from './consultationResolver';
import { EarlyHelpAssessmentResolver, FollowUpResolver } from './followUpResolver';
import {
  CaseChronologyResolver,
  ChronologyEventResolver,
  EXTERNAL_EVENTS_FIELDS,
  keepingRepresentation,
  SubjectChronologyResolver,
} from './chronologyResolver';
import { CaseSystemLinkResolver } from './caseSystemLinkResolver';
import { HandOverResolver } from './handOverResolver';
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
    CapacityAssessment,
    Consultation,
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
          HandOverResolver,
          CaseSystemLinkResolver,
          FollowUpResolver,
          EarlyHelpAssessmentResolver,
          ConsultationResolver,
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
