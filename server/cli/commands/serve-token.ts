/**
 * The bearer token of `accessgraph serve`: from `--token-file`, from `ACCESSGRAPH_TOKEN`, or generated with
 * `--generate-token` — never from an argument (the process list shows arguments to every local user).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { CliError, EXIT_BAD_INPUT } from '../output.ts';

export const TOKEN_ENV = 'ACCESSGRAPH_TOKEN';
export const MIN_TOKEN_LENGTH = 16;

export interface TokenSources {
  tokenFile?: string;
  generateToken?: boolean;
  env?: string;
}

export interface ServeToken {
  token: string;
  /** Where it came from, for messages. */
  source: 'file' | 'env' | 'generated';
  /** Set when a file holding the token can be read by other users. */
  warning?: string;
}

/** The token the sources configure, or undefined when none does; a CliError when they conflict or are bad. */
export function resolveToken(sources: TokenSources): ServeToken | undefined {
  const given = [
    sources.tokenFile !== undefined && '--token-file',
    sources.generateToken === true && '--generate-token',
    sources.env !== undefined && sources.env !== '' && TOKEN_ENV,
  ].filter((s): s is string => typeof s === 'string');
  if (given.length > 1)
    throw new CliError(`${given.join(' and ')} both configure the token`, EXIT_BAD_INPUT, 'keep one');
  if (sources.generateToken) return { token: randomBytes(32).toString('base64url'), source: 'generated' };
  if (sources.tokenFile !== undefined) {
    const file = sources.tokenFile;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new CliError(
        `cannot read the token file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        EXIT_BAD_INPUT,
        'write one with `openssl rand -hex 32 > FILE && chmod 600 FILE`, or use --generate-token',
      );
    }
    const token = checked(text.trim(), `the token file ${file}`);
    const shared = (statSync(file).mode & 0o077) !== 0;
    return {
      token,
      source: 'file',
      ...(shared ? { warning: `the token file ${file} is readable by other users: chmod 600 ${file}` } : {}),
    };
  }
  if (sources.env) return { token: checked(sources.env.trim(), TOKEN_ENV), source: 'env' };
  return undefined;
}

function checked(token: string, where: string): string {
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token))
    throw new CliError(
      `${where} must hold one token of at least ${MIN_TOKEN_LENGTH} characters without spaces`,
      EXIT_BAD_INPUT,
      'generate one with `openssl rand -hex 32`, or use --generate-token',
    );
  return token;
}
