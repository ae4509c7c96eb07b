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

/** One tab GraphiQL opens with: a role's saved operation and the headers it is sent with. */
export interface GraphiqlTab {
  /** The `?role=` value that picks this tab (`manager`, `police-researcher` …). */
  key: string;
  query: string;
  /** Its variables as JSON text (a registered operation takes the case as a variable), or none. */
  variables?: string | null;
  headers: Record<string, string>;
}

/**
 * Shows GraphiQL when a browser opens the GraphQL endpoint. The page is rendered afresh on every
 * load, so the tabs' development tokens are always newly issued (they expire after 8 hours, the
 * demo may run for days). Without tabs (production), one tab with the example query, no headers.
 */
export function graphiqlLandingPage(
  assetsPath: string,
  exampleQuery: () => string,
  exampleTabs?: () => Promise<GraphiqlTab[]>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a landing page serves any context
): ApolloServerPlugin<any> {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return {
            html: async () => {
              const tabs = exampleTabs
                ? await exampleTabs()
                : [{ key: 'example', query: exampleQuery(), headers: {} }];
              return page(assetsPath, tabs);
            },
          };
        },
      };
    },
  };
}

/**
 * The page. Its address works as GraphiQL's own examples do: `?query=`, `&variables=`,
 * `&operationName=` and `&headers=` (JSON, laid over the chosen role's headers) open that
 * operation in the first tab; `?role=<key>` picks whose headers it gets (or, with no query, which
 * role's tab comes first). Editing the query, variables or operation name, or switching tabs,
 * keeps the address up to date so it can be copied as a link. Headers are never written to the
 * address: they carry a bearer token, and addresses end up in browser history and server logs.
 */
function page(assets: string, tabs: GraphiqlTab[]): string {
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
    const saved = ${json(tabs)};
    const params = new URLSearchParams(window.location.search);
    const text = (headers) => JSON.stringify(headers, null, 2);
    // A link to one of the saved operations (as this page's own address becomes) opens that tab,
    // not a copy of it: reloading the page gives the same tabs, with fresh tokens.
    const savedByLink = params.has('query') && !params.has('headers')
      ? saved.find((tab) => tab.query === params.get('query') && (params.get('variables') || null) === (tab.variables ?? null) && (!params.has('role') || tab.key === params.get('role')))
      : null;
    const chosen = savedByLink || saved.find((tab) => tab.key === params.get('role')) || saved[0];
    const linked = params.has('query') && !savedByLink;

    // Headers from the address are laid over the role's; if they are not JSON, shown as given.
    function linkedHeaders() {
      if (!params.has('headers')) return text(chosen.headers);
      try {
        return text({ ...chosen.headers, ...JSON.parse(params.get('headers')) });
      } catch {
        return params.get('headers');
      }
    }
    const savedTabs = [chosen, ...saved.filter((tab) => tab !== chosen)].map((tab) => ({
      key: tab.key,
      query: tab.query,
      variables: tab.variables ?? null,
      headers: text(tab.headers),
    }));
    const tabs = linked
      ? [{ key: null, query: params.get('query'), variables: params.get('variables'), headers: linkedHeaders() }, ...savedTabs]
      : savedTabs;
    const first = tabs[0];

    // The tabs, query, variables and headers come from this page and its address, never from a
    // previous visit: stored tabs would bring back expired tokens and another run's case. Everything
    // else GraphiQL keeps (history, theme, panel sizes) stays in the browser's local storage.
    const fromThisPage = new Set(['tabState', 'query', 'variables', 'headers', 'operationName'].map((k) => 'graphiql:' + k));
    const memory = new Map();
    const local = (() => { try { return window.localStorage; } catch { return null; } })();
    const storage = {
      getItem: (key) => (fromThisPage.has(key) || !local ? memory.get(key) ?? null : local.getItem(key)),
      setItem: (key, value) => (fromThisPage.has(key) || !local ? memory.set(key, String(value)) : local.setItem(key, value)),
      removeItem: (key) => (fromThisPage.has(key) || !local ? memory.delete(key) : local.removeItem(key)),
      clear: () => memory.clear(),
      get length() { return memory.size; },
    };

    function updateAddress() {
      const search = params.toString();
      window.history.replaceState(null, '', window.location.pathname + (search ? '?' + search : ''));
    }
    function setParam(name, value) {
      if (value) params.set(name, value);
      else params.delete(name);
      updateAddress();
    }
    function onTabChange(state) {
      const tab = state.tabs[state.activeTabIndex];
      if (!tab) return;
      const role = savedTabs.find((t) => t.headers === tab.headers);
      params.delete('headers');
      if (role) params.set('role', role.key);
      else params.delete('role');
      setParam('variables', tab.variables);
      setParam('operationName', tab.operationName);
      setParam('query', tab.query);
    }

    // GraphiQL updates a tab's operation name a moment after the tab changes, so a Run pressed in
    // that moment would name the previous tab's operation: send the name only if the query has it.
    const sendToGateway = GraphiQL.createFetcher({ url: window.location.pathname });
    function declares(query, name) {
      const words = String(query).split(/[^_0-9A-Za-z]+/);
      return words.some((word, i) => ['query', 'mutation', 'subscription'].includes(word) && words[i + 1] === name);
    }
    const fetcher = (request, options) =>
      sendToGateway(
        request.operationName && !declares(request.query, request.operationName)
          ? { ...request, operationName: undefined }
          : request,
        options,
      );
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        storage,
        defaultTabs: tabs.map(({ query, variables, headers }) => ({ query, variables, headers })),
        query: first.query,
        variables: first.variables ?? undefined,
        headers: first.headers,
        operationName: params.get('operationName') ?? undefined,
        shouldPersistHeaders: false,
        defaultEditorToolsVisibility: 'headers',
        onEditQuery: (query) => setParam('query', query),
        onEditVariables: (variables) => setParam('variables', variables),
        onEditOperationName: (name) => setParam('operationName', name),
        onTabChange,
      }),
    );
  </script>
</body>
</html>`;
}
