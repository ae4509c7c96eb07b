import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AgencyDataSource } from './agencyDataSource';
import { graphiqlAssets, graphiqlLandingPage } from './graphiql';
import { composeSupergraph, SubgraphEndpoint } from './supergraph';
import { UnavailableAgency } from './unavailableAgency';

export interface GatewayOptions {
  subgraphs: SubgraphEndpoint[];
  port: number;
  subgraphTimeoutMs: number;
  exampleQuery: () => string;
}

export interface RunningGateway {
  url: string;
  supergraphSdl: string;
  stop(): Promise<void>;
}

/**
 * The federated gateway: composes the agencies' subgraphs, plans each query across them and
 * fetches from them in parallel. The request pipeline (Apollo Server plugins) is where consent and
 * need-to-know enforcement will inspect and prune the operation before it is planned.
 */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const supergraphSdl = composeSupergraph(options.subgraphs);
  const sdlByName = new Map(options.subgraphs.map((s) => [s.name, s.sdl]));
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new AgencyDataSource(
        url!,
        options.subgraphTimeoutMs,
        new UnavailableAgency(name, sdlByName.get(name)!),
      ),
  });
  const server = new ApolloServer({
    gateway,
    includeStacktraceInErrorResponses: false,
    plugins: [graphiqlLandingPage('/graphiql', options.exampleQuery)],
  });
  await server.start();

  const app = express();
  app.use('/graphiql', graphiqlAssets());
  app.use('/graphql', express.json({ limit: '1mb' }), expressMiddleware(server));
  const http = await listen(app, options.port);
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/graphql`,
    supergraphSdl,
    async stop() {
      await server.stop();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const http = app.listen(port, '127.0.0.1', (error?: Error) =>
      error ? reject(error) : resolve(http),
    );
  });
}
