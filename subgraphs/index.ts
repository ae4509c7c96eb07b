import type { SubgraphDefinition } from '../schema/subgraphDefinition';
import { AGENCIES } from './agencies';
import { audit } from './audit';
import { mash } from './mash';

/**
 * Every subgraph in the hub: `mash` owns cases and subjects; each agency (`agencies.ts`) extends
 * Subject with its check; `audit` is information governance's view of the audit trail.
 */
export const SUBGRAPHS: SubgraphDefinition[] = [mash, ...AGENCIES, audit];

export { AGENCIES };
