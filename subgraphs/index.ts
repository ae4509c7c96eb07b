import type { SubgraphDefinition } from '../schema/subgraphDefinition';
import { education } from './education';
import { health } from './health';
import { mash } from './mash';
import { police } from './police';
import { socialCare } from './social-care';

/** Every subgraph in the hub. `mash` owns cases and subjects; the rest are agencies extending Subject. */
export const SUBGRAPHS: SubgraphDefinition[] = [mash, socialCare, police, health, education];
