import { Initial1795455579421 } from './1795455579421-Initial';
import { AuditRequestAndGroundReason1796155261601 } from './1796155261601-AuditRequestAndGroundReason';

// Written by `npm run db:generate-migration`: every migration of this subgraph's database, in order.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
export const migrations: Function[] = [
  Initial1795455579421,
  AuditRequestAndGroundReason1796155261601,
];
