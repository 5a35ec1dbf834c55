/**
 * Throttling is retried by the SDK's retry strategy as configured in aws-clients.ts (adaptive, 10 attempts).
 * aws-sdk-client-mock replaces `send` and so skips the retry middleware; here the real clients run and only
 * the HTTP handler is replaced, answering with IAM's recorded Query-protocol XML (no network).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClients, type ClientOptions } from './aws-clients.ts';
import { BundleWriter } from './bundle-writer.ts';
import { collectPasswordPolicy } from './iam.ts';
import type { CollectContext } from './context.ts';

const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
/** IAM's error body for throttling (API error code `Throttling`, HTTP 400). */
const THROTTLED = `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ErrorResponse>`;
const PASSWORD_POLICY = `<GetAccountPasswordPolicyResponse xmlns="${NS}"><GetAccountPasswordPolicyResult><PasswordPolicy><AllowUsersToChangePassword>true</AllowUsersToChangePassword><RequireLowercaseCharacters>true</RequireLowercaseCharacters><RequireUppercaseCharacters>true</RequireUppercaseCharacters><MinimumPasswordLength>14</MinimumPasswordLength><RequireNumbers>true</RequireNumbers><RequireSymbols>true</RequireSymbols><ExpirePasswords>false</ExpirePasswords><PasswordReusePrevention>24</PasswordReusePrevention></PasswordPolicy></GetAccountPasswordPolicyResult><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></GetAccountPasswordPolicyResponse>`;

/** Answers the first `throttles` requests with Throttling, then the password policy; records the actions. */
function recordedIam(throttles: number) {
  const actions: string[] = [];
  const handler: NonNullable<ClientOptions['requestHandler']> = {
    async handle(request: { body?: unknown }) {
      actions.push(new URLSearchParams(String(request.body)).get('Action') ?? '?');
      const throttled = actions.length <= throttles;
      return {
        response: {
          statusCode: throttled ? 400 : 200,
          headers: { 'content-type': 'text/xml' },
          body: Readable.from([Buffer.from(throttled ? THROTTLED : PASSWORD_POLICY)]),
        },
      };
    },
  } as never;
  return { handler, actions };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'collect-retry-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function contextWith(handler: ClientOptions['requestHandler']): Promise<CollectContext> {
  const clients = createClients('us-east-1', {
    credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'not-a-secret' },
    requestHandler: handler,
  });
  return {
    clients,
    writer: await BundleWriter.create(path.join(dir, 'bundle')),
    regions: ['us-east-1'],
    notes: [],
    counts: new Map(),
    sleep: async () => {},
    step: () => {},
  };
}

describe('throttling', () => {
  it('three Throttling answers then success: retried past the SDK default of 3 attempts, file written', async () => {
    const { handler, actions } = recordedIam(3);
    const ctx = await contextWith(handler);
    await collectPasswordPolicy(ctx);
    expect(actions).toEqual(Array(4).fill('GetAccountPasswordPolicy'));
    const written = JSON.parse(await readFile(path.join(ctx.writer.tempDir, 'password-policy.json'), 'utf8'));
    expect(written.PasswordPolicy).toMatchObject({ MinimumPasswordLength: 14, PasswordReusePrevention: 24 });
    expect(ctx.notes).toEqual([]);
    ctx.clients.destroy();
    await ctx.writer.abort();
  }, 30_000);
});
