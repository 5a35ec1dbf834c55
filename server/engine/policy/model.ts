/**
 * The typed policy AST the parser produces (reference_policies_elements). Every value that AWS accepts as
 * "a string or an array of strings" is normalized to an array here; nothing downstream sees the JSON shapes.
 */
export type Effect = 'Allow' | 'Deny';

/** What kind of policy a document is; decides which elements are required or forbidden. */
export type PolicyKind = 'identity' | 'resource' | 'trust' | 'scp' | 'rcp' | 'boundary' | 'session';

/** A Principal / NotPrincipal element. `any` is `"*"` (or `{"AWS": "*"}`). */
export interface PrincipalSpec {
  any: boolean;
  aws: string[];
  service: string[];
  federated: string[];
  canonicalUser: string[];
}

export type SetQualifier = 'ForAnyValue' | 'ForAllValues';

/** One key under one operator: `"StringEquals": {"aws:username": ["a", "b"]}` gives one clause. */
export interface ConditionClause {
  /** The operator exactly as written, e.g. `ForAllValues:StringLikeIfExists`. */
  rawOperator: string;
  /** The operator without qualifier or IfExists suffix, e.g. `StringLike`. */
  operator: string;
  qualifier?: SetQualifier;
  ifExists: boolean;
  key: string;
  values: string[];
}

export interface Statement {
  /** 0-based position in the `Statement` array (0 when `Statement` is a single object). */
  index: number;
  sid?: string;
  effect: Effect;
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  action?: string[];
  notAction?: string[];
  /** Absent when neither Resource nor NotResource is given (legal in trust policies): matches every resource. */
  resource?: string[];
  notResource?: string[];
  conditions: ConditionClause[];
}

export interface Policy {
  /** `2012-10-17`, `2008-10-17`, or undefined when absent (which AWS treats as 2008-10-17). */
  version?: string;
  id?: string;
  statements: Statement[];
}

/** Policy variables are only substituted under Version 2012-10-17 (reference_policies_variables). */
export function supportsVariables(policy: Policy): boolean {
  return policy.version === '2012-10-17';
}
