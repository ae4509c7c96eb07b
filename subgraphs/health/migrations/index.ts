import { Initial1795455579421 } from './1795455579421-Initial';
import { BlockingKeys1796201196161 } from './1796201196161-BlockingKeys';
import { EventUpdatedAt1796400000000 } from './1796400000000-EventUpdatedAt';
import { CustodianRelease1796404800000 } from './1796404800000-CustodianRelease';
import { HealthReferrals1796412000001 } from './1796412000001-HealthReferrals';
import { ReferralUpdatedAt1796460000000 } from './1796460000000-ReferralUpdatedAt';

// Written by `npm run db:generate-migration`: every migration of this subgraph's database, in order.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
export const migrations: Function[] = [
  Initial1795455579421,
  BlockingKeys1796201196161,
  EventUpdatedAt1796400000000,
  CustodianRelease1796404800000,
  HealthReferrals1796412000001,
  ReferralUpdatedAt1796460000000,
];
