/**
 * Who may talk to the server, decided before a request reaches the UI files or GraphQL. Pages of other origins
 * must not read the account's graph from the user's browser:
 * - the `Host` header must name this server (stops DNS rebinding: another site's name resolving to 127.0.0.1);
 * - GraphQL runs only for a same-origin `application/json` POST: a cross-site page can send a GET, a form or a
 *   text/plain POST without a preflight, but never this (and no CORS header ever grants another origin);
 * - with a token configured, every GraphQL request carries it as `Authorization: Bearer <token>`;
 * - a GraphQL body declares its length, at most `maxBodyMiB` (a Terraform plan sent to `planChanges` can be MBs).
 * Every response also carries the headers of `SECURITY_HEADERS` (a CSP allowing this origin's scripts only).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';

export interface GuardOptions {
  /** The address the server was asked to bind (`serve --host`). */
  host?: string;
  /** More names accepted in the `Host` header (`serve --allow-host`), e.g. a DNS name of this machine. */
  allowedHosts?: readonly string[];
  /** The bearer token every GraphQL request must carry (none: loopback only, see `serve`). */
  token?: string;
  /** The largest GraphQL request body, in MiB (`serve --max-body`; `DEFAULT_MAX_BODY_MIB`). */
  maxBodyMiB?: number;
}

/** Room for a large Terraform plan in one `planChanges` request. */
export const DEFAULT_MAX_BODY_MIB = 32;

export interface Refusal {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

/** Styles inline are allowed (Svelte and GraphiQL's editor set them); scripts only from this origin. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

function parseIp(host: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : undefined;
}

export function isLoopback(host: string): boolean {
  return host.toLowerCase() === 'localhost' || parseIp(host)?.range() === 'loopback';
}

function hostName(host: string): string {
  const ip = parseIp(host);
  return ip?.kind() === 'ipv6' ? `[${ip.toString()}]` : (ip?.toString() ?? host.toLowerCase());
}

/**
 * The `Host` header values that name this server on `port`: the loopback names, the bound address, and when
 * that is every interface (0.0.0.0, ::) the addresses of each interface and the machine's host name.
 */
export function acceptedHosts(port: number, options: GuardOptions = {}): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]', ...(options.allowedHosts ?? [])];
  if (options.host) {
    names.push(options.host);
    if (parseIp(options.host)?.range() === 'unspecified') {
      names.push(hostname());
      for (const list of Object.values(networkInterfaces()))
        for (const { address } of list ?? []) names.push(address);
    }
  }
  const accepted = new Set<string>();
  for (const name of names) {
    accepted.add(`${hostName(name)}:${port}`);
    if (port === 80) accepted.add(hostName(name));
  }
  return accepted;
}

export function checkHost(headers: IncomingHttpHeaders, accepted: ReadonlySet<string>): Refusal | undefined {
  const host = headers.host?.toLowerCase() ?? '';
  const ip = parseIp(host.replace(/:\d+$/, ''));
  const normal = ip ? `${hostName(ip.toString())}${/:\d+$/.exec(host)?.[0] ?? ''}` : host;
  if (accepted.has(normal)) return undefined;
  return {
    status: 421,
    code: 'WRONG_HOST',
    message:
      `the Host header \`${host}\` does not name this server (it answers to ${[...accepted].join(', ')}): ` +
      'open it by one of those names, or accept another with `serve --allow-host <name>`',
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Constant-time comparison (of digests, so lengths never differ). */
function tokenMatches(given: string, token: string): boolean {
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * Whether a request to `/graphql` may run. `GET` is only for GraphiQL's page (an HTML navigation without a
 * query): it carries no data, so it needs no token.
 */
export function checkGraphQLRequest(
  method: string,
  url: URL,
  headers: IncomingHttpHeaders,
  token: string | undefined,
  maxBodyMiB = DEFAULT_MAX_BODY_MIB,
): Refusal | undefined {
  if (method === 'GET' || method === 'HEAD') {
    const page = headers.accept?.includes('text/html') === true && !url.searchParams.has('query');
    if (page) return undefined;
    return {
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      message: 'GraphQL over GET is refused: POST the query as `application/json` to /graphql',
      headers: { allow: 'POST' },
    };
  }
  if (method !== 'POST')
    return {
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      message: `${method} is refused (no cross-origin access): POST the query as \`application/json\` to /graphql`,
      headers: { allow: 'POST' },
    };
  const origin = headers.origin;
  const site = headers['sec-fetch-site'];
  if (
    (origin !== undefined && origin !== `http://${headers.host ?? ''}`) ||
    (site !== undefined && site !== 'same-origin' && site !== 'none')
  )
    return {
      status: 403,
      code: 'CROSS_ORIGIN',
      message: `requests from another origin (${origin ?? site}) are refused: use the web UI this server serves at /`,
    };
  const type = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    return {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: `a GraphQL request must be \`content-type: application/json\`, not \`${type ?? 'none'}\``,
    };
  const length = Number(headers['content-length'] ?? NaN);
  if (!Number.isSafeInteger(length))
    return {
      status: 411,
      code: 'LENGTH_REQUIRED',
      message: 'a GraphQL request must declare its `content-length` (a chunked body is refused)',
    };
  if (length > maxBodyMiB * 2 ** 20)
    return {
      status: 413,
      code: 'BODY_TOO_LARGE',
      message:
        `the request body is ${(length / 2 ** 20).toFixed(1)} MiB, more than the limit of ${maxBodyMiB} MiB: ` +
        'send a smaller plan (only its IAM resources matter), or raise the limit with `serve --max-body <MiB>`',
    };
  if (token !== undefined) {
    const given = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
    if (given === undefined || !tokenMatches(given, token))
      return {
        status: 401,
        code: 'UNAUTHORIZED',
        message:
          'this server needs its token: send `Authorization: Bearer <token>` (the web UI takes it from the ' +
          '`#token=` link that `accessgraph serve` printed)',
        headers: { 'www-authenticate': 'Bearer' },
      };
  }
  return undefined;
}
