import { Initial1796198784916 } from './1796198784916-Initial';
import { BlockingKeys1796202559642 } from './1796202559642-BlockingKeys';
import { CustodianRelease1796404800000 } from './1796404800000-CustodianRelease';
import { EventUpdatedAt1796460000000 } from './1796460000000-EventUpdatedAt';

// Written by `npm run db:generate-migration`: every migration of this subgraph's database, in order.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
export const migrations: Function[] = [
  Initial1796198784916,
  BlockingKeys1796202559642,
  CustodianRelease1796404800000,
  EventUpdatedAt1796460000000,
];
