import { Initial1795455579421 } from './1795455579421-Initial';
import { ReferralReceivedAt1795460141433 } from './1795460141433-ReferralReceivedAt';
import { CaseExternalSystem1796154898361 } from './1796154898361-CaseExternalSystem';
import { ProtectedAddressIndex1796158571451 } from './1796158571451-ProtectedAddressIndex';
import { IdentityMatchDecisions1796198231111 } from './1796198231111-IdentityMatchDecisions';
import { AdultsEarlyHelpFamilyConsultations1796451616000 } from './1796451616000-AdultsEarlyHelpFamilyConsultations';
import { DecisionHandOver1796455500000 } from './1796455500000-DecisionHandOver';

// Written by `npm run db:generate-migration`: every migration of this subgraph's database, in order.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
export const migrations: Function[] = [
  Initial1795455579421,
  ReferralReceivedAt1795460141433,
  CaseExternalSystem1796154898361,
  ProtectedAddressIndex1796158571451,
  IdentityMatchDecisions1796198231111,
  AdultsEarlyHelpFamilyConsultations1796451616000,
  DecisionHandOver1796455500000,
];
