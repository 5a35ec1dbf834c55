/**
 * What one GraphQL request may ask for, checked before any resolver runs: tokens (while parsing), depth and
 * aliases (while validating), then a total cost that multiplies by list sizes (with the variables, just
 * before executing).
 * Each limit has a named default that `accessgraph serve` flags can raise; the README's "Security of the
 * server" section lists them.
 */
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import type { Plugin } from 'graphql-yoga';
import { graphql } from './graphql-runtime.ts';
import type { QueryLimits } from './limit-defaults.ts';

const { GraphQLError, getNamedType, getNullableType, isListType } = graphql;

/** Fields (`Type.field`) that run an analysis over the snapshot rather than look something up. */
export const EXPENSIVE_FIELDS: ReadonlySet<string> = new Set([
  ...[
    'whoCan',
    'whoCanReach',
    'blastRadius',
    'paths',
    'whatIf',
    'unusedAccess',
    'rightsize',
    'planChanges',
    'diff',
    'simulate',
    'evaluate',
    'chokePoints',
    'findings',
    'graph',
    'resource',
  ].map((field) => `Query.${field}`),
  ...['Principal', 'User', 'Role'].map((type) => `${type}.access`),
]);
export const EXPENSIVE_FIELD_COST = 1000;
/** Assumed length of a list of entities that no argument bounds (a group's members, a user's groups, …). */
export const UNBOUNDED_LIST_FACTOR = 10;
/**
 * Types read from the store item by item, whose fields lead to more of them (user → groups → members → …):
 * the lists through which a short query multiplies its work. Lists of an analysis's own records (paths,
 * steps, levels) come out of one analysis whatever the query selects, and count once.
 */
const ENTITY_TYPES: ReadonlySet<string> = new Set([
  'Principal',
  'User',
  'Role',
  'Group',
  'Policy',
  'AttachedPolicy',
  'PolicyAttachment',
  'PolicyVersion',
  'Snapshot',
]);
/** Arguments that bound the length of a field's result (each field's resolver caps its own: `principals` 500). */
const SIZE_ARGUMENTS = ['first', 'k', 'top'] as const;

/**
 * A field costs 1 (an analysis `EXPENSIVE_FIELD_COST`) plus its selections times how many times they are
 * resolved: the size argument when there is one, `UNBOUNDED_LIST_FACTOR` for other lists of entities, once
 * otherwise. The items of a `…Page` are already counted by the `first` of the field that returned the page.
 */
function estimator(onAnalysis: () => void): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    const analysis = EXPENSIVE_FIELDS.has(`${type.name}.${field.name}`);
    if (analysis) onAnalysis();
    const own = analysis ? EXPENSIVE_FIELD_COST : 1;
    const sizeArg = SIZE_ARGUMENTS.find((name) => typeof args[name] === 'number');
    let times = 1;
    if (sizeArg) {
      times = args[sizeArg] as number;
    } else if (!type.name.endsWith('Page')) {
      const list = getNullableType(field.type);
      if (isListType(list) && ENTITY_TYPES.has(getNamedType(list).name)) times = UNBOUNDED_LIST_FACTOR;
    }
    return own + Math.max(1, times) * childComplexity;
  };
}

export interface OperationWeight {
  cost: number;
  /** How many expensive fields (`EXPENSIVE_FIELDS`) the operation selects. */
  analyses: number;
}

/**
 * The cost of the operation `operationName` of `document` with `variables`, and the analyses it runs (a
 * GraphQLError if the variables are invalid).
 */
export function operationWeight(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): OperationWeight {
  let analyses = 0;
  const cost = getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    ...(operationName ? { operationName } : {}),
    estimators: [estimator(() => analyses++)],
  });
  return { cost, analyses };
}

export function operationCost(...args: Parameters<typeof operationWeight>): number {
  return operationWeight(...args).cost;
}

function costLimitPlugin(limits: QueryLimits): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      let error: InstanceType<typeof GraphQLError> | undefined;
      try {
        const cost = operationCost(
          args.schema,
          args.document,
          args.variableValues ?? undefined,
          args.operationName ?? undefined,
        );
        if (cost > limits.maxCost)
          error = new GraphQLError(
            `the query costs ${cost}, more than the limit of ${limits.maxCost} (each analysis such as whoCan or ` +
              `blastRadius costs ${EXPENSIVE_FIELD_COST}, lists multiply what they contain): ask for less, ` +
              `or raise it with \`serve --max-cost\``,
            { extensions: { code: 'COST_LIMIT', cost, limit: limits.maxCost } },
          );
      } catch (e) {
        if (!(e instanceof GraphQLError)) throw e;
        error = e;
      }
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

/** The Yoga plugins enforcing `limits`, cheapest check first (armor's messages name the limit they hit). */
export function limitPlugins(limits: QueryLimits): Plugin[] {
  return [
    maxTokensPlugin({ n: limits.maxTokens, exposeLimits: true }) as Plugin,
    maxDepthPlugin({ n: limits.maxDepth, ignoreIntrospection: true, exposeLimits: true }) as Plugin,
    maxAliasesPlugin({ n: limits.maxAliases, exposeLimits: true }) as Plugin,
    costLimitPlugin(limits),
  ];
}
