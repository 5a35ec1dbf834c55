/**
 * The who-can view in Debian's Chromium against the real HTTP server on the demo account
 * (examples/demo/README.md, "Who can s3:GetObject on arn:aws:s3:::example-corp-engineering/*?").
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  clickNode,
  drawnIds,
  highlightedIds,
  SCREENSHOTS,
  waitForGraph,
  useBrowserApp,
} from './page-helpers.ts';

const ACCT = 'arn:aws:iam::111122223333';
const BUCKET_OBJECTS = 'arn:aws:s3:::example-corp-engineering/*';
const S3_FULL = 'arn:aws:iam::aws:policy/AmazonS3FullAccess';

// The README's answer: who can, and who cannot (ec2-build-agent through the bucket policy alone).
const README_CAN = ['alice', 'bob', 'dave', 'elena', 'grace', 'platform-admin', 'ec2-build-agent'];
const README_CANNOT = ['svc-notifier', 'carol', 'partner-auditor', 'lambda-order-processor'];

const app = useBrowserApp();
const newPage = () => app.newPage();

/** Result rows as `name decision` lines. */
async function resultRows(page: Page): Promise<Map<string, string>> {
  const rows = page.getByTestId('who-can-results').locator('button.result');
  const out = new Map<string, string>();
  for (const row of await rows.all()) {
    const name = await row.locator('.name').innerText();
    out.set(name, await row.getByTestId('decision').innerText());
  }
  return out;
}

/**
 * Exactly the README's principals can (each with `decision`). With includeDenied, the README's "not" examples
 * are listed as denied, and so is everyone else (the README's "not" list is examples, not the whole account).
 */
function expectReadmeAnswer(
  rows: Map<string, string>,
  decision: 'allowed' | 'conditional',
  othersDecision: 'denied' | null,
): void {
  const can = [...rows].filter(([, d]) => d !== 'denied');
  expect(Object.fromEntries(can)).toEqual(Object.fromEntries(README_CAN.map((n) => [n, decision])));
  if (othersDecision === null) expect(rows.size).toBe(README_CAN.length);
  else for (const name of README_CANNOT) expect(rows.get(name), name).toBe(othersDecision);
}

async function ask(page: Page, context: Record<string, string> = {}): Promise<void> {
  await page.getByTestId('who-can-action').fill('s3:GetObject');
  await page.getByTestId('who-can-resource').fill(BUCKET_OBJECTS);
  for (const [i, [key, value]] of Object.entries(context).entries()) {
    await page.getByRole('button', { name: '+ context key' }).click();
    await page.getByLabel(`Context key ${i + 1}`).fill(key);
    await page.getByLabel(`Context value ${i + 1}`).fill(value);
  }
  await page.getByRole('button', { name: 'Ask' }).click();
  await page.locator('[data-testid="who-can-answer"][data-status="ready"]').waitFor();
}

describe('who-can', () => {
  it('answers the demo bucket question with the README principals and highlights a path on the graph', async () => {
    const page = await newPage();
    await page.goto(app.server.url);
    await page.getByTestId('view-who-can').click();

    // Autocomplete from the action catalog: type a prefix, pick with the keyboard.
    const action = page.getByTestId('who-can-action');
    await action.fill('s3:GetObjec');
    await page.getByRole('option', { name: /^s3:GetObject\s+Read$/ }).waitFor();
    const options = await page.getByRole('listbox', { name: 'Actions' }).getByRole('option').allInnerTexts();
    expect(options.every((o) => o.startsWith('s3:GetObject'))).toBe(true);
    await action.press('ArrowDown');
    await action.press('Enter'); // picks the first option, s3:GetObject, without submitting
    await expect(action.inputValue()).resolves.toBe('s3:GetObject');
    expect(new URL(page.url()).searchParams.get('action')).toBeNull();

    // Over TLS (the bucket policy denies anything else), Enter in the last field submits the form.
    await page.getByTestId('who-can-resource').fill(BUCKET_OBJECTS);
    await page.getByRole('button', { name: '+ context key' }).click();
    await page.getByLabel('Context key 1').fill('aws:SecureTransport');
    await page.getByLabel('Context value 1').fill('true');
    await page.getByLabel('Context value 1').press('Enter');
    await page.locator('[data-testid="who-can-answer"][data-status="ready"]').waitFor();
    expectReadmeAnswer(await resultRows(page), 'allowed', null);
    await waitForGraph(page);
    const drawn = await drawnIds(page);
    expect(drawn).toEqual(
      expect.arrayContaining([`${ACCT}:user/alice`, `${ACCT}:group/Engineering`, S3_FULL, BUCKET_OBJECTS]),
    );
    expect(drawn).not.toContain(`${ACCT}:user/carol`);
    const url = new URL(page.url());
    expect([
      url.searchParams.get('view'),
      url.searchParams.get('action'),
      url.searchParams.get('resource'),
      url.searchParams.getAll('ctx').join(),
    ]).toEqual(['who-can', 's3:GetObject', BUCKET_OBJECTS, 'aws:SecureTransport=true']);

    // Picking alice highlights user → group → policy → resource, and nothing of dave's (QA).
    await page.locator(`button.result[data-principal="${ACCT}:user/alice"]`).click();
    await page.waitForFunction(() => (window as any).__accessgraphCanvas.highlighted().length > 0);
    expect((await highlightedIds(page)).sort()).toEqual(
      [
        `${ACCT}:user/alice`,
        `${ACCT}:group/Engineering`,
        S3_FULL,
        BUCKET_OBJECTS,
        `${ACCT}:user/alice|MEMBER_OF|${ACCT}:group/Engineering`,
        `${ACCT}:group/Engineering|HAS_POLICY|${S3_FULL}`,
        `${S3_FULL}|ALLOWS|${BUCKET_OBJECTS}`,
      ].sort(),
    );
    expect(new URL(page.url()).searchParams.get('result')).toBe(`${ACCT}:user/alice`);
    await page.screenshot({ path: join(SCREENSHOTS, 'who-can.png') });

    // A node of the answer opens the same entity panel as in the explorer.
    await clickNode(page, `${ACCT}:group/Engineering`);
    await page.getByTestId('entity-panel').getByRole('heading', { name: 'Engineering' }).waitFor();
    await page.close();
  });

  it('without a context everyone is conditional on TLS (the residual is shown); includeDenied adds the others with why', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}/?view=who-can`);
    await page.getByTestId('who-can-denied').check();
    await ask(page);
    expectReadmeAnswer(await resultRows(page), 'conditional', 'denied');
    const alice = page.locator(`button.result[data-principal="${ACCT}:user/alice"]`);
    await expect(alice.locator('.residual').innerText()).resolves.toContain('aws:SecureTransport');
    const carol = page.locator(`button.result[data-principal="${ACCT}:user/carol"]`);
    await expect(carol.innerText()).resolves.toContain('no Allow in the identity-based policies');
    // A matched statement opens in its policy, marked: here the bucket policy's TLS Deny.
    await page
      .getByRole('button', { name: /^resource policy .*"DenyInsecureTransport"$/ })
      .first()
      .click();
    const mark = page.getByTestId('entity-panel').getByTestId('matched-statement');
    await expect(mark.innerText()).resolves.toContain('"Sid": "DenyInsecureTransport"');
    expect(new URL(page.url()).searchParams.get('stmt')).toBe('1');
    // and alice's grant in AmazonS3FullAccess.
    await page
      .getByRole('button', { name: 'user alice → group Engineering → AmazonS3FullAccess → Statement[0]' })
      .click();
    await page.getByTestId('entity-panel').getByRole('heading', { name: 'AmazonS3FullAccess' }).waitFor();
    await expect(mark.innerText()).resolves.toContain('"s3:*"');
    await page.close();
  });

  it('over plain HTTP nobody may read (the bucket policy Deny), and the answer says so', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}/?view=who-can`);
    await ask(page, { 'aws:SecureTransport': 'false' });
    expect((await resultRows(page)).size).toBe(0);
    await page.getByTestId('who-can-empty').waitFor();
    await page.close();
  });

  it('a bad action or context key gets a readable message, not an empty answer', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}/?view=who-can`);
    await page.getByTestId('who-can-action').fill('GetObject');
    await page.getByTestId('who-can-resource').fill(BUCKET_OBJECTS);
    await page.getByTestId('who-can-resource').press('Enter');
    const error = page.getByTestId('who-can-error');
    await error.waitFor();
    await expect(error.innerText()).resolves.toContain('`GetObject` is not `service:Action`');
    // A context key that is not one is caught before asking. The key is typed last: leaving the action field
    // closes its list of actions, which would otherwise cover the Ask button.
    await page.getByRole('button', { name: '+ context key' }).click();
    await page.getByTestId('who-can-action').fill('s3:GetObject');
    await page.getByLabel('Context key 1').fill('SecureTransport');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.getByText('`SecureTransport` is not a condition key').waitFor();
    await page.close();
  });
});

describe('who-can deep links', () => {
  it('a link restores the question, the answer, the highlighted result and the open panel', async () => {
    const page = await newPage();
    const params = new URLSearchParams([
      ['view', 'who-can'],
      ['action', 's3:GetObject'],
      ['resource', BUCKET_OBJECTS],
      ['ctx', 'aws:SecureTransport=true'],
      ['denied', '1'],
      ['result', `${ACCT}:user/dave`],
      ['select', `${ACCT}:group/QA`],
    ]);
    await page.goto(`${app.server.url}/?${params}`);
    await page.locator('[data-testid="who-can-answer"][data-status="ready"]').waitFor();
    // The form shows the question asked.
    await expect(page.getByTestId('who-can-action').inputValue()).resolves.toBe('s3:GetObject');
    await expect(page.getByTestId('who-can-resource').inputValue()).resolves.toBe(BUCKET_OBJECTS);
    await expect(page.getByLabel('Context key 1').inputValue()).resolves.toBe('aws:SecureTransport');
    await expect(page.getByLabel('Context value 1').inputValue()).resolves.toBe('true');
    await expect(page.getByTestId('who-can-denied').isChecked()).resolves.toBe(true);
    expectReadmeAnswer(await resultRows(page), 'allowed', 'denied');
    // dave's path is highlighted, and the QA group's panel is open.
    await waitForGraph(page);
    await page.waitForFunction(() => (window as any).__accessgraphCanvas.highlighted().length > 0);
    const lit = await highlightedIds(page);
    expect(lit).toEqual(expect.arrayContaining([`${ACCT}:user/dave`, `${ACCT}:group/QA`]));
    expect(lit).not.toContain(`${ACCT}:user/alice`);
    await expect(
      page.locator(`button.result[data-principal="${ACCT}:user/dave"]`).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    await page.getByTestId('entity-panel').getByRole('heading', { name: 'QA' }).waitFor();
    await page.close();
  });

  it('back and forward walk between questions and views', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}/?view=who-can`);
    await ask(page, { 'aws:SecureTransport': 'true' });
    expect((await resultRows(page)).get('alice')).toBe('allowed');
    // A second question: svc-notifier's topic.
    const topic = 'arn:aws:sns:eu-central-1:111122223333:order-events';
    await page.getByTestId('who-can-action').fill('sns:Publish');
    await page.getByTestId('who-can-resource').fill(topic);
    await page.getByTestId('who-can-resource').press('Enter');
    await page.waitForURL((u) => u.searchParams.get('action') === 'sns:Publish');
    await page.locator('[data-testid="who-can-answer"][data-status="ready"]').waitFor();
    const second = await resultRows(page);
    expect(second.get('svc-notifier')).toBe('allowed');
    expect(second.has('alice')).toBe(false);
    // Then the explorer.
    await page.getByTestId('view-explore').click();
    await waitForGraph(page);
    await page.getByTestId('who-can-form').waitFor({ state: 'detached' });

    await page.goBack();
    await page.getByTestId('who-can-form').waitFor();
    await expect(page.getByTestId('who-can-action').inputValue()).resolves.toBe('sns:Publish');
    await page.goBack();
    await page.waitForURL((u) => u.searchParams.get('action') === 's3:GetObject');
    await expect(page.getByTestId('who-can-action').inputValue()).resolves.toBe('s3:GetObject');
    await page.locator('[data-testid="who-can-answer"][data-status="ready"]').waitFor();
    await page.waitForFunction(
      () => document.querySelector('button.result .name')?.textContent !== 'svc-notifier',
    );
    expect((await resultRows(page)).get('alice')).toBe('allowed');
    await page.goForward();
    await page.waitForURL((u) => u.searchParams.get('action') === 'sns:Publish');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('button.result .name')].some((n) => n.textContent === 'svc-notifier'),
    );
    await page.close();
  });
});
