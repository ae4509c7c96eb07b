import { buildFederatedSchema } from '../../schema/buildSubgraphSchema';
import {
  CUSTODIAN_RELEASE_ENTITIES,
  custodianReleaseResolver,
} from '../../schema/custodianRelease';
import type { AgencyDefinition } from '../../schema/subgraphDefinition';
import { migrations } from './migrations';
import { educationPolicy } from './policy';
import { seedEducation } from './data';
import { Exclusion, Pupil, SchoolSafeguardingConcern, Subject, TermAttendance } from './entities';
import {
  createEducationContext,
  EducationCheckResolver,
  EducationEventsResolver,
} from './resolver';

/**
 * Education's subgraph: school, attendance, exclusions, SEN/EHCP, home education, missing education,
 * and the safeguarding concerns the school's DSL logged.
 */
export const education: AgencyDefinition = {
  name: 'education',
  custodian: 'Local authority education services',
  entities: [
    Pupil,
    TermAttendance,
    Exclusion,
    SchoolSafeguardingConcern,
    ...CUSTODIAN_RELEASE_ENTITIES,
  ],
  migrations,
  buildSchema: () =>
    buildFederatedSchema({
      resolvers: [
        EducationEventsResolver,
        EducationCheckResolver,
        custodianReleaseResolver('education'),
      ],
      orphanedTypes: [Subject],
    }),
  seed: seedEducation,
  createContext: createEducationContext,
  policy: educationPolicy,
};
