import { EmbeddedPostgres } from '../database/embeddedPostgres';
import { SUBGRAPHS } from '../subgraphs';
import { caseReference } from '../subgraphs/mash/data';
import { RunningSubgraph, startSubgraph } from '../subgraphs/serve';
import { generatePopulation, SyntheticFamily } from '../synthetic/population';
import { agencyCheckQuery } from './exampleQuery';
import { RunningGateway, startGateway } from './server';

export interface EmbeddedSystemOptions {
  /** Gateway port; subgraphs take the next ports in order. 0: any free ports (tests). */
  port: number;
  seed: number;
  families: number;
  subgraphTimeoutMs: number;
}

export interface EmbeddedSystem {
  gateway: RunningGateway;
  subgraphs: RunningSubgraph[];
  population: SyntheticFamily[];
  exampleCaseReference: string;
  stop(): Promise<void>;
}

/**
 * The whole hub in one process on the embedded database: every subgraph seeded from the same
 * synthetic population, each in its own schema, behind one gateway.
 */
export async function startEmbeddedSystem(options: EmbeddedSystemOptions): Promise<EmbeddedSystem> {
  const population = generatePopulation({ seed: options.seed, families: options.families });
  const embedded = await EmbeddedPostgres.start();
  const subgraphs: RunningSubgraph[] = [];
  try {
    for (const [i, definition] of SUBGRAPHS.entries()) {
      const port = options.port === 0 ? 0 : options.port + i + 1;
      subgraphs.push(await startSubgraph(definition, embedded, population, port));
    }
    const exampleCaseReference = caseReference(exampleFamily(population).index);
    const gateway = await startGateway({
      subgraphs,
      port: options.port,
      subgraphTimeoutMs: options.subgraphTimeoutMs,
      exampleQuery: () => agencyCheckQuery(exampleCaseReference),
    });
    return {
      gateway,
      subgraphs,
      population,
      exampleCaseReference,
      async stop() {
        await gateway.stop();
        await Promise.all(subgraphs.map((s) => s.stop()));
        await embedded.close();
      },
    };
  } catch (error) {
    await Promise.all(subgraphs.map((s) => s.stop()));
    await embedded.close();
    throw error;
  }
}

/** A referred family with a domestic-abuse history: every agency has something to say. */
function exampleFamily(population: SyntheticFamily[]): SyntheticFamily {
  const referred = population.filter((f) => f.referral && !f.newToArea);
  const example = referred.find((f) => f.concern === 'DOMESTIC_ABUSE') ?? referred[0];
  if (!example) throw new Error('The synthetic population has no referred family: raise FAMILIES.');
  return example;
}
