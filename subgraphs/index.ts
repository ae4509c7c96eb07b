import type { SubgraphDefinition } from '../schema/subgraphDefinition';
import { audit } from './audit';
import { education } from './education';
import { health } from './health';
import { mash } from './mash';
import { police } from './police';
import { socialCare } from './social-care';

/**
 * Every subgraph in the hub: `mash` owns cases and subjects; each agency extends Subject with its
 * check; `audit` is information governance's view of the audit trail.
 */
export const SUBGRAPHS: SubgraphDefinition[] = [mash, socialCare, police, health, education, audit];
