/**
 * GraphiQL from the `@graphql-yoga/render-graphiql` package rather than a CDN: the page is a shell whose script,
 * style and Monaco workers are served from `/graphiql/`, so it works offline and under a CSP that allows only
 * this origin's scripts. The 9 MB bundle is loaded on first use. The options travel in a JSON data block;
 * `start.js` adds the bearer token the web UI keeps in sessionStorage (or finds in the `#token=` fragment).
 */
import type { GraphiQLOptions } from 'graphql-yoga';

export const GRAPHIQL_ASSETS_PATH = '/graphiql/';

export function graphiqlPage(options: GraphiQLOptions): string {
  const json = JSON.stringify(options).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
    <link rel="stylesheet" href="${GRAPHIQL_ASSETS_PATH}graphiql.css" />
  </head>
  <body id="body" class="no-focus-outline">
    <noscript>You need to enable JavaScript to run GraphiQL.</noscript>
    <div id="root"></div>
    <script type="application/json" id="graphiql-options">${json}</script>
    <script src="${GRAPHIQL_ASSETS_PATH}graphiql.js"></script>
    <script src="${GRAPHIQL_ASSETS_PATH}start.js"></script>
  </body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const START = `(function () {
  self.MonacoEnvironment = {
    globalAPI: false,
    getWorkerUrl: function (_moduleId, label) {
      return '${GRAPHIQL_ASSETS_PATH}' + label + '.worker.js';
    },
  };
  var options = JSON.parse(document.getElementById('graphiql-options').textContent);
  var fragment = /^#token=(.+)$/.exec(location.hash);
  if (fragment) {
    sessionStorage.setItem('accessgraph.token', decodeURIComponent(fragment[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  var token = sessionStorage.getItem('accessgraph.token');
  if (token) options.additionalHeaders = { Authorization: 'Bearer ' + token };
  YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), options);
})();
`;

export interface Asset {
  type: string;
  body: string;
}

let assets: Promise<Map<string, Asset>> | undefined;

async function loadAssets(): Promise<Map<string, Asset>> {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const js = 'text/javascript; charset=utf-8';
  return new Map<string, Asset>([
    ['graphiql.js', { type: js, body: bundle.js }],
    ['graphiql.css', { type: 'text/css; charset=utf-8', body: bundle.css }],
    ['start.js', { type: js, body: START }],
    ['editorWorkerService.worker.js', { type: js, body: bundle.editorWorkerService }],
    ['json.worker.js', { type: js, body: bundle.jsonWorker }],
    ['graphql.worker.js', { type: js, body: bundle.graphqlWorker }],
  ]);
}

/** The file `name` under `/graphiql/`, or undefined. */
export async function graphiqlAsset(name: string): Promise<Asset | undefined> {
  assets ??= loadAssets();
  return (await assets).get(name);
}
