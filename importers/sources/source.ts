/**
 * The shapes every importer source has (importers/README.md, "Adding a source"): an account source picks its
 * files from one account's directory, parses them, and normalizes the result onto that account's state; a
 * bundle format rewrites a whole foreign tree (iam-collect) into bundle files before anything is picked.
 */
import type { Diagnostic } from '../../schema/diagnostics.ts';
import type { BundleFile } from '../bundle/read-bundle.ts';
import type { GroupFile } from '../bundle/account-groups.ts';
import type { Limits } from '../limits.ts';
import type {
  LastAccessReport,
  PasswordPolicy,
  Resource,
  RootCredentials,
  VpcEndpoint,
} from '../../schema/snapshot.ts';
import type { GaadFragment } from './gaad/normalize.ts';

/** What is known of one imported account: its IAM (from the GAAD) and what the registered sources add. */
export interface AccountState {
  readonly accountId: string;
  readonly partition: string;
  /** Users, groups, roles and managed policies; the credential report fills the users' credentials. */
  readonly iam: GaadFragment;
  readonly resources: readonly Resource[];
  readonly vpcEndpoints?: readonly VpcEndpoint[];
  /** Last-accessed evidence (access advisor), one report per entity that has one. */
  readonly lastAccess?: readonly LastAccessReport[];
  readonly root?: RootCredentials;
  readonly passwordPolicy?: PasswordPolicy;
  /** When the account's data was collected (the credential report's generation time). */
  readonly collectedAt?: string;
  /** The files the sources read, as diagnostics show them. */
  readonly sourceFiles: readonly string[];
}

/** One kind of file in an account's directory: select → parse → normalize. */
export interface AccountSource<Parsed> {
  /** The source's name, also the prefix of its diagnostic codes. */
  readonly name: string;
  /** This source's files among the account's (`relative` is the path inside the account directory). */
  select(files: readonly GroupFile[]): GroupFile[];
  /** Text → validated values; `parsed` is undefined when nothing is usable (the diagnostics say why). */
  parse(files: readonly GroupFile[], limits: Limits): { parsed?: Parsed; diagnostics: Diagnostic[] };
  /** Pure: the parsed values applied to the account (a new state), with what they reveal. */
  normalize(parsed: Parsed, account: AccountState): { account: AccountState; diagnostics: Diagnostic[] };
}

/** A foreign tree read as a bundle: recognized by its files, converted to the bundle layout (layout.ts). */
export interface BundleFormat {
  readonly name: string;
  recognize(files: readonly BundleFile[], root: string): boolean;
  convert(files: readonly BundleFile[], root: string): { files: BundleFile[]; diagnostics: Diagnostic[] };
}
