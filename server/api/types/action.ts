/**
 * `actions(prefix, first)`: catalog actions starting with `prefix`, for the web UI's action autocomplete.
 * The catalog is the same one the engine uses (server/engine/catalog.ts); matching in server/analysis/action-search.ts.
 */
import type { ActionInfo } from '../../engine/catalog.ts';
import { loadCatalog } from '../../engine/catalog.ts';
import { searchActions, type ActionSearchResult } from '../../analysis/action-search.ts';
import { builder } from '../builder.ts';
import { InvalidArgumentError } from './errors.ts';

export const MAX_ACTIONS_PAGE = 100;

const CatalogActionRef = builder.objectRef<ActionInfo>('CatalogAction').implement({
  description: 'An action of the Service Authorization Reference.',
  fields: (t) => ({
    action: t.exposeString('action', { description: '`service:Action` in the reference casing.' }),
    service: t.exposeString('service'),
    accessLevel: t.exposeString('accessLevel', {
      description: '`Read`, `Write`, `List`, `Tagging`, `Permissions management`.',
    }),
    description: t.exposeString('description'),
    resourceTypes: t.stringList({
      description: 'Resource type names the action applies to (`object`, `bucket`); empty when only `*`.',
      resolve: (a) => a.resourceTypes.map((r) => r.name),
    }),
  }),
});

const ActionPageRef = builder.objectRef<ActionSearchResult>('ActionPage').implement({
  fields: (t) => ({
    totalCount: t.exposeInt('totalCount', { description: 'Matching actions, including those past `first`.' }),
    items: t.field({ type: [CatalogActionRef], resolve: (p) => p.items }),
  }),
});

builder.queryFields((t) => ({
  actions: t.field({
    type: ActionPageRef,
    description:
      'Catalog actions whose `service:Action` starts with `prefix` (case-insensitive; without a colon, the service prefix).',
    args: {
      prefix: t.arg.string({ required: true }),
      first: t.arg.int({ defaultValue: 20, description: `Page size, 1 to ${MAX_ACTIONS_PAGE}.` }),
    },
    errors: { types: [InvalidArgumentError], directResult: true },
    resolve: async (_root, args) => {
      const first = args.first ?? 20;
      if (first < 1 || first > MAX_ACTIONS_PAGE)
        throw new InvalidArgumentError(
          'first',
          `\`first\` must be between 1 and ${MAX_ACTIONS_PAGE}, got ${first}`,
        );
      return searchActions(await loadCatalog(), args.prefix, first);
    },
  }),
}));
