/**
 * Ctrl-C during `accessgraph collect` leaves nothing behind. The real CLI and SDK run against a stand-in AWS
 * endpoint on 127.0.0.1 (AWS_ENDPOINT_URL): it answers sts get-caller-identity, so the bundle's temporary
 * directory is created, and never answers the next call, so the collect is caught mid-way.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli } from './run-cli.ts';

const CALLER = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/auditor</Arn><UserId>AIDAEXAMPLEAUDITOR01</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;

let server: Server;
let endpoint: string;
const actions: string[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'collect-interrupt-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const action = new URLSearchParams(body).get('Action') ?? '?';
      actions.push(action);
      if (action === 'GetCallerIdentity') {
        res.writeHead(200, { 'content-type': 'text/xml' }).end(CALLER);
      }
      // Anything else: no answer, as if AWS were slow; the test interrupts the collect here.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(tmp, { recursive: true, force: true });
});

describe('accessgraph collect, interrupted', () => {
  it(
    'SIGINT mid-collect: exit 130, the temporary bundle removed, nothing at --out',
    { timeout: 120_000 },
    async () => {
      const child = startCli(['collect', '--region', 'us-east-1', '--out', join(tmp, 'bundle')], {
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'not-a-secret',
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
        AWS_EC2_METADATA_DISABLED: 'true',
      });
      let stderr = '';
      child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));

      // Wait (bounded) until the collect is writing: its hidden temporary directory exists beside --out.
      const deadline = Date.now() + 100_000;
      while (!readdirSync(tmp).some((f) => f.startsWith('.bundle.partial-')) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(readdirSync(tmp).filter((f) => f.startsWith('.bundle.partial-'))).toHaveLength(1);

      child.kill('SIGINT');
      expect(await closed).toBe(130);
      expect(stderr).toContain('collect interrupted, nothing written');
      expect(readdirSync(tmp)).toEqual([]);
      expect(actions.slice(0, 2)).toEqual(['GetCallerIdentity', 'GetAccountAuthorizationDetails']);
    },
  );
});
