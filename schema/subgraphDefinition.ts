import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Tier } from '../policies/tier';
import type { SyntheticFamily } from '../synthetic/population';
import type { AgencyEventSource } from './agencyEvents';
import type { ForwardedAccess } from './forwardedAccess';

/**
 * What every folder under `subgraphs/` exports from its `index.ts`: adding an agency is copying
 * this shape.
 */
export interface SubgraphDefinition {
  /** The subgraph's name in the supergraph, and its database (schema) name. */
  name: string;
  /** The organisation that is custodian of these records. */
  custodian: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity classes
  entities: Function[];
  /** The migrations that build its database in production mode (`migrations/`), oldest first. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for migration classes
  migrations: Function[];
  buildSchema(): Promise<{ schema: GraphQLSchema; sdl: string }>;
  /** Loads this agency's view of the synthetic population into its (empty) database. */
  seed(dataSource: DataSource, population: SyntheticFamily[]): Promise<void>;
  /**
   * The per-request context: fresh DataLoaders, so batching never leaks between requests, and the
   * access context the gateway signed for this request.
   */
  createContext(dataSource: DataSource, forwarded: ForwardedAccess): object;
}

/**
 * An agency's policy, declared in its own folder (`policy.ts`) beside the fields it tiers: the hub's
 * central code (the permission tree, the IG matrix, the example query, tokens, the workflow's
 * checks) reads it from the registry (`subgraphs/agencies.ts`), so adding an agency touches no
 * file outside its folder but that one line.
 */
export interface AgencyPolicy {
  /** The agency check's field on Subject (`police`, `socialCare`): one per agency. */
  checkField: string;
  /**
   * The tier of every field of every type this agency serves, by GraphQL type and field (its check
   * type spreads `CHECK_SHAPE` first). A field not listed is closed: the policy-coverage test
   * fails until it has a tier.
   */
  fieldTiers: Record<string, Record<string, Tier>>;
  /** What the example query asks of this agency's check beside the shared check shape. */
  exampleFields: string;
  /**
   * The agency's dated records that are events in the chronology (`schema/agencyEvents.ts`): which
   * record list of its check, its reference, date, kind and summary fields. Their tiers come from
   * `fieldTiers`. None: the agency's check still shows, and the chronology has nothing from it.
   */
  events?: AgencyEventSource[];
}

/**
 * An agency's subgraph: its records, and its policy beside them. Every agency serves custodian
 * release (`schema/custodianRelease.ts`): its entities include the release tables, its resolvers
 * its release mutation (`releaseMutation(name)`), and each record type it flags serves `recordId`
 * and `awaitingRelease`.
 */
export interface AgencyDefinition extends SubgraphDefinition {
  policy: AgencyPolicy;
}
