/**
 * The GAAD (`aws iam get-account-authorization-details`, one or more `*authorization-details*.json` pages):
 * select → parse → normalize like every source, but run before the others, because the account checks
 * (importers/index.ts) read the accounts its ARNs name.
 */
import type { Diagnostic } from '../../../schema/diagnostics.ts';
import type { BundleFile } from '../../bundle/read-bundle.ts';
import type { Limits } from '../../limits.ts';
import { parseGaad } from './parse.ts';
import { normalizeGaad, type GaadFragment, type GaadInput } from './normalize.ts';

const GAAD_PAGE = /authorization-details[^/]*\.json$/i;

export const gaadSource = {
  name: 'gaad',
  /** A page by name; a file named directly on the command line is a page whatever its name. */
  isPage: (relative: string): boolean => GAAD_PAGE.test(relative),
  parse(file: BundleFile, limits: Limits): { parsed?: GaadInput; diagnostics: Diagnostic[] } {
    const r = parseGaad(file.text, file.path, limits);
    return { ...(r.page ? { parsed: { file: file.path, page: r.page } } : {}), diagnostics: r.diagnostics };
  },
  normalize(
    pages: readonly GaadInput[],
    limits: Limits,
  ): { fragment: GaadFragment; diagnostics: Diagnostic[] } {
    return normalizeGaad(pages, limits);
  },
};
