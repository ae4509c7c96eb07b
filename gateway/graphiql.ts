import type { ApolloServerPlugin } from '@apollo/server';
import { Router } from 'express';
import path from 'node:path';

// The packages' "exports" hide their UMD builds from require.resolve; find them from package.json.
const packageFile = (name: string, file: string) =>
  path.join(path.dirname(require.resolve(`${name}/package.json`)), file);
const ASSETS = {
  'react.js': packageFile('react', 'umd/react.production.min.js'),
  'react-dom.js': packageFile('react-dom', 'umd/react-dom.production.min.js'),
  'graphiql.js': packageFile('graphiql', 'graphiql.min.js'),
  'graphiql.css': packageFile('graphiql', 'graphiql.min.css'),
};

/** GraphiQL's files, served from node_modules: the hub's machines may have no internet (no CDN). */
export function graphiqlAssets(): Router {
  const router = Router();
  for (const [name, file] of Object.entries(ASSETS)) {
    router.get(`/${name}`, (_req, res) => res.sendFile(file));
  }
  return router;
}

/** Shows GraphiQL when a browser opens the GraphQL endpoint, with an example query loaded. */
export function graphiqlLandingPage(
  assetsPath: string,
  exampleQuery: () => string,
  exampleHeaders?: () => Promise<Record<string, string>>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a landing page serves any context
): ApolloServerPlugin<any> {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          const headers = exampleHeaders ? await exampleHeaders() : {};
          return { html: page(assetsPath, exampleQuery(), headers) };
        },
      };
    },
  };
}

function page(assets: string, query: string, headers: Record<string, string>): string {
  // Inline JSON in a <script>: "<" escaped so no value can close the script element.
  const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>mash-gateway — agency checks</title>
  <link rel="stylesheet" href="${assets}/graphiql.css" />
  <style>body { margin: 0; height: 100vh; }</style>
</head>
<body>
  <div id="graphiql" style="height: 100vh;"></div>
  <script src="${assets}/react.js"></script>
  <script src="${assets}/react-dom.js"></script>
  <script src="${assets}/graphiql.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultQuery: ${json(query)},
        defaultHeaders: ${json(JSON.stringify(headers, null, 2))},
        shouldPersistHeaders: false,
      }),
    );
  </script>
</body>
</html>`;
}
