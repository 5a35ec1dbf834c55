/** CloudFormation change set (`describe-change-set --include-property-values`) → what-if changes. */
export { readChangeSet, translateChangeSet, type ChangeSet } from './translate.ts';
