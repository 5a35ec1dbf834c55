/**
 * One graph-kind vocabulary: the kinds listed in server/graph/model.ts are the ones the printed schema's GraphQL
 * enums hold, the ones the graph model draws, and the ones the web has a style for (web/src/lib/graph/kinds.ts,
 * typed by the generated schema types). A kind added in one place only fails here, naming the place without it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, type GraphQLEnumType } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  GRAPH_EDGE_KINDS,
  GRAPH_NODE_KINDS,
  GRAPH_RELATIONSHIP_TYPES,
  graphqlNodeKind,
  NODE_MODELS,
} from '../../server/graph/model.ts';
import { EDGE_KINDS, NODE_KINDS } from '../../web/src/lib/graph/kinds.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const schema = buildSchema(readFileSync(join(ROOT, 'schema/schema.graphql'), 'utf8'));
const enumValues = (name: string): string[] =>
  (schema.getType(name) as GraphQLEnumType)
    .getValues()
    .map((v) => v.name)
    .sort();

const modelNodes = GRAPH_NODE_KINDS.map(graphqlNodeKind).sort();
const modelEdges = Object.keys(GRAPH_EDGE_KINDS).sort();

describe('graph kinds', () => {
  it('the model lists each node kind once, under distinct GraphQL names', () => {
    expect(new Set(modelNodes).size).toBe(GRAPH_NODE_KINDS.length);
    expect(graphqlNodeKind('accessKey')).toBe('ACCESS_KEY');
  });

  it('schema/schema.graphql holds exactly the model kinds (npm run schema after a change)', () => {
    expect(enumValues('GraphNodeKind'), 'GraphNodeKind in schema/schema.graphql').toEqual(modelNodes);
    expect(enumValues('GraphEdgeKind'), 'GraphEdgeKind in schema/schema.graphql').toEqual(modelEdges);
  });

  it('the graph model draws only listed kinds', () => {
    for (const model of Object.values(NODE_MODELS))
      if (model.graphKind) expect(GRAPH_NODE_KINDS, `NODE_MODELS.${model.label}`).toContain(model.graphKind);
    for (const type of GRAPH_RELATIONSHIP_TYPES)
      expect(modelEdges, `RELATIONSHIP_MODELS.${type}`).toContain(type);
  });

  it('the web has a style for every kind the API sends, and none for a kind it does not', () => {
    expect([...NODE_KINDS].sort(), 'NODE_KIND_STYLE in web/src/lib/graph/kinds.ts').toEqual(modelNodes);
    expect([...EDGE_KINDS].sort(), 'EDGE_KIND_STYLE in web/src/lib/graph/kinds.ts').toEqual(modelEdges);
  });
});
