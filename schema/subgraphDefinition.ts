import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { SyntheticFamily } from '../synthetic/population';
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
