/**
 * graphql 16 ships CJS (`main`) and ESM (`module`) builds without an `exports` map: Node (and so Pothos, Yoga and
 * graphql-query-complexity) load the CJS one, while Vite-based tools resolve `module`. Runtime values of
 * graphql (classes, `isListType`, printers) come from here, loaded the way Node does, so they see the same class
 * instances as the schema ("Cannot use GraphQLObjectType from another module or realm").
 */
import { createRequire } from 'node:module';

export const graphql = createRequire(import.meta.url)('graphql') as typeof import('graphql');
