/**
 * The escalation graph: its shape (graph.ts), the edge builder (build.ts) with its technique catalog
 * (techniques/), and admin-equivalence (admin.ts).
 */
export * from './graph.ts';
export {
  buildEscalationGraph,
  buildEscalationGraphWith,
  ASSUME_TECHNIQUE,
  type BuildOptions,
} from './build.ts';
export { adminEquivalence, adminVerdictOf, ADMIN_PROBE_ACTIONS } from './admin.ts';
export { loadTechniques } from './techniques/load.ts';
export type { TechniqueRule, Outcome, Requirement, On } from './techniques/rules.ts';
