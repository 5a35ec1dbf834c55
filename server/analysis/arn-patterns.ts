/**
 * IAM resource patterns as effective permissions read them (globs: `*` any run of characters, `?` one, anchored,
 * case-sensitive — reference_policies_elements_resource; matched and intersected by the engine's glob): does a
 * pattern fit an action's resource type (`arn:${Partition}:s3:::${BucketName}/${ObjectName}` from the catalog).
 *
 * Policy variables (`${aws:username}`) and catalog placeholders (`${BucketName}`) can stand for any text, so both
 * read as `*` here.
 */
import { globMatches, globsOverlap } from '../engine/index.ts';

/** `${…}` → `*`: a substituted value can be any text. */
export function widenVariables(pattern: string): string {
  return pattern.includes('${') ? pattern.replace(/\$\{[^}]*\}/g, '*') : pattern;
}

/**
 * Whether a statement's Resource pattern can apply to an action, given the ARN formats of the action's resource
 * types (catalog). Actions without resource types accept only `"Resource": "*"` (the reference's "*" rows), so
 * there only a pattern matching the text `*` applies.
 */
export function patternFitsAction(pattern: string, arnTemplates: readonly string[]): boolean {
  const p = widenVariables(pattern);
  if (arnTemplates.length === 0) return globMatches(p, '*');
  return arnTemplates.some((t) => globsOverlap(p, widenVariables(t)));
}
