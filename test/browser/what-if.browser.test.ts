/**
 * The what-if view in Chromium against the real server on the demo account shows an attach's diff: attaching
 * AmazonS3FullAccess to QA gives dave (QA's only member) S3 write access.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS, waitForGraph, useBrowserApp } from './page-helpers.ts';

const ACCT = 'arn:aws:iam::111122223333';
const QA = `${ACCT}:group/QA`;
const DAVE = `${ACCT}:user/dave`;
const S3_FULL = 'arn:aws:iam::aws:policy/AmazonS3FullAccess';
const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));

const app = useBrowserApp();
const newPage = () => app.newPage();

const marks = (page: Page): Promise<Record<string, string[]>> =>
  page.evaluate(() => (window as any).__accessgraphCanvas.marks());

describe('what-if', () => {
  it('attaching AmazonS3FullAccess to QA: dave gains S3 write, drawn on the graph and kept in the URL', async () => {
    const page = await newPage();
    await page.goto(app.server.url);
    await page.getByTestId('view-what-if').click();
    await waitForGraph(page);
    await page.getByLabel('Change 1 policy').fill('AmazonS3FullAccess');
    await page.getByLabel('Change 1 to user, group or role').fill('group/QA');
    await page.getByLabel('Change 1 to user, group or role').press('Enter');
    await page.locator('[data-testid="what-if-answer"][data-status="ready"]').waitFor();

    const principals = page.getByTestId('what-if-principals').locator('button.principal');
    await expect(
      principals.evaluateAll((els) => els.map((e) => e.getAttribute('data-principal'))),
    ).resolves.toEqual([DAVE]);
    const rows = await page.getByTestId('what-if-principals').locator('tr').allInnerTexts();
    const s3Write = rows.map((r) => r.split('\t')).find(([svc, level]) => svc === 's3' && level === 'Write');
    expect(s3Write?.[2]).toMatch(/^\+\d+$/);
    expect(rows.every((r) => !r.includes('−'))).toBe(true); // nothing revoked
    await expect(page.getByTestId('what-if-answer').innerText()).resolves.toMatch(
      /\+\d+ granted · −0 revoked/,
    );

    await waitForGraph(page);
    await page.waitForFunction(() => ((window as any).__accessgraphCanvas.marks().gained ?? []).length > 0);
    const m = await marks(page);
    expect(m.added).toEqual([`${QA}|HAS_POLICY|${S3_FULL}`]);
    expect(m.gained).toEqual([DAVE]);
    expect(m.lost).toEqual([]);
    expect(new URL(page.url()).searchParams.getAll('change')).toEqual([
      'attachPolicy|AmazonS3FullAccess|group/QA',
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, 'what-if.png') });

    // A principal of the answer opens its panel.
    await principals.first().click();
    await page.getByTestId('entity-panel').getByRole('heading', { name: 'dave' }).waitFor();
    await page.close();
  });

  it('a deep link previews its changes; removing dave from QA draws the removed edge and his loss', async () => {
    const page = await newPage();
    await page.goto(
      `${app.server.url}/?view=what-if&change=${encodeURIComponent('removeUserFromGroup|dave|QA')}`,
    );
    await page.locator('[data-testid="what-if-answer"][data-status="ready"]').waitFor();
    await expect(page.getByLabel('Change 1', { exact: true }).inputValue()).resolves.toBe(
      'removeUserFromGroup',
    );
    await waitForGraph(page);
    await page.waitForFunction(() => ((window as any).__accessgraphCanvas.marks().lost ?? []).length > 0);
    const m = await marks(page);
    expect(m.removed).toEqual([`${DAVE}|MEMBER_OF|${QA}`]);
    expect(m.lost).toEqual([DAVE]);
    // The JSON export holds the changes and the diff.
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-json').click(),
    ]);
    const saved = JSON.parse(await readFile((await json.path())!, 'utf8'));
    expect(saved.query).toEqual({ changes: [{ op: 'removeUserFromGroup', user: 'dave', group: 'QA' }] });
    expect(saved.answer.diff.principals.map((p: any) => p.arn)).toEqual([DAVE]);
    await page.close();
  });

  it('an unknown group gets the server message with its change, not an empty answer', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}/?view=what-if`);
    await page.getByLabel('Change 1', { exact: true }).selectOption('addUserToGroup');
    await page.getByLabel('Change 1 user').fill('dave');
    await page.getByLabel('Change 1 group').fill('QA2');
    await page.getByRole('button', { name: 'Preview' }).click();
    const error = page.getByTestId('what-if-error');
    await error.waitFor();
    await expect(error.innerText()).resolves.toContain('change 0 (addUserToGroup): unknown group `QA2`');
    await page.close();
  });

  it('pasting an inline policy granting s3:PutObject on the demo bucket to QA: dave gains it', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}/?view=what-if`);
    await waitForGraph(page);
    await page.getByLabel('Change 1', { exact: true }).selectOption('putInlinePolicy');
    await page.getByLabel('Change 1 on user, group or role').fill('group/QA');
    await page.getByLabel('Change 1 policy JSON').fill(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::example-corp-engineering/*' },
        ],
      }),
    );
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('[data-testid="what-if-answer"][data-status="ready"]').waitFor();
    const principals = page.getByTestId('what-if-principals').locator('button.principal');
    await expect(
      principals.evaluateAll((els) => els.map((e) => e.getAttribute('data-principal'))),
    ).resolves.toEqual([DAVE]);
    const rows = await page.getByTestId('what-if-principals').locator('tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t').slice(0, 3))).toEqual([['s3', 'Write', '+1']]);
    await page.waitForFunction(() => ((window as any).__accessgraphCanvas.marks().gained ?? []).length > 0);
    expect((await marks(page)).gained).toEqual([DAVE]);
    const [change] = new URL(page.url()).searchParams.getAll('change');
    expect(change).toMatch(/^putInlinePolicy\|group\/QA\|\|\{/);

    // The link restores the pasted policy.
    await page.goto(page.url());
    await page.locator('[data-testid="what-if-answer"][data-status="ready"]').waitFor();
    await expect(page.getByLabel('Change 1 policy JSON').inputValue()).resolves.toContain('s3:PutObject');
    await page.close();
  });

  it('pasting invalid policy JSON shows the server error beside the text area with its JSON path', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}/?view=what-if`);
    await page.getByLabel('Change 1', { exact: true }).selectOption('putInlinePolicy');
    await page.getByLabel('Change 1 on user, group or role').fill('group/QA');
    await page
      .getByLabel('Change 1 policy JSON')
      .fill('{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:*","Resource":"*"}]}');
    await page.getByRole('button', { name: 'Preview' }).click();
    const error = page.getByTestId('change-error');
    await error.first().waitFor();
    await expect(error.first().innerText()).resolves.toContain('changes[0].document.Statement[0].Effect');
    await page.close();
  });

  it('a policy letting dave attach policies to himself lists his new escalation edge (he already reached admin)', async () => {
    const page = await newPage();
    const doc = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: DAVE }],
    });
    await page.goto(
      `${app.server.url}/?view=what-if&change=${encodeURIComponent(`putInlinePolicy|user/dave|self-attach|${doc}`)}`,
    );
    await page.locator('[data-testid="what-if-answer"][data-status="ready"]').waitFor();
    const escalation = page.getByTestId('what-if-escalation');
    const text = await escalation.innerText();
    // dave → svc-deploy → cfn-deployer → ADMIN exists already: a new edge, not a new principal reaching admin.
    expect(text).not.toContain('Gain a path to admin');
    const added = await escalation.locator('li[data-change="added"]').allInnerTexts();
    expect(added).toContainEqual(expect.stringMatching(/^\+ dave → ADMIN iam-\d+$/));
    await page.close();
  });

  it('iam:PassRole on * for carol draws one edge to a node standing for every role trusting Lambda', async () => {
    const carol = `${ACCT}:user/carol`;
    const doc = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'],
          Resource: '*',
        },
      ],
    });
    const page = await newPage();
    await page.goto(
      `${app.server.url}/?view=what-if&change=${encodeURIComponent(`putInlinePolicy|user/carol|deploy|${doc}`)}`,
    );
    await page.locator('[data-testid="what-if-answer"][data-status="ready"]').waitFor();
    const added = await page
      .getByTestId('what-if-escalation')
      .locator('li[data-change="added"]')
      .allInnerTexts();
    expect(added).toContainEqual('+ carol → every role trusting lambda.amazonaws.com (1) lambda-001');
    await waitForGraph(page);
    await page.waitForFunction(
      () => ((window as any).__accessgraphCanvas.marks()['escalation-added'] ?? []).length > 0,
    );
    const toClass = (await marks(page))['escalation-added']!.filter((id) =>
      id.startsWith(`${carol}|ESCALATES|accessgraph:class:`),
    );
    expect(toClass).toHaveLength(1);
    const classNode = toClass[0]!.split('|')[2]!;
    const labels = await page.evaluate(
      ([edge, node]) => [
        (window as any).__accessgraphCanvas.edgeLabel(edge),
        (window as any).__accessgraphCanvas.edgeLabel(node),
      ],
      [toClass[0]!, classNode],
    );
    expect(labels[0]).toContain('lambda-001');
    expect(labels[1]).toBe('every role trusting lambda.amazonaws.com (1)');
    await page.close();
  });

  it('pasting JSON that does not parse shows the error beside the text area with the document path', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}/?view=what-if`);
    await page.getByLabel('Change 1', { exact: true }).selectOption('putInlinePolicy');
    await page.getByLabel('Change 1 on user, group or role').fill('group/QA');
    await page.getByLabel('Change 1 policy JSON').fill('{"Version": "2012-10-17", "Statement": [');
    await page.getByRole('button', { name: 'Preview' }).click();
    const error = page.getByTestId('change-error');
    await error.first().waitFor();
    await expect(error.first().innerText()).resolves.toMatch(/^changes\[0\]\.document/);
    await page.close();
  });

  it('adding alice to QA draws her new escalation edges to the service accounts, labelled with their techniques', async () => {
    // QA's QAServiceAccountKeys lets its members create keys for /service-accounts/ users (examples/demo/README.md):
    // alice gains iam-003 to both service accounts, one class named by the grant's pattern (through svc-deploy a
    // path to admin), and iam-002 to svc-notifier.
    const alice = `${ACCT}:user/alice`;
    const svcNotifier = `${ACCT}:user/service-accounts/svc-notifier`;
    const page = await newPage();
    await page.goto(
      `${app.server.url}/?view=what-if&change=${encodeURIComponent('addUserToGroup|alice|QA')}`,
    );
    await page.locator('[data-testid="what-if-answer"][data-status="ready"]').waitFor();
    const escalation = page.getByTestId('what-if-escalation');
    await expect(escalation.innerText()).resolves.toContain('Gain a path to admin: alice');
    const added = await escalation.locator('li[data-change="added"]').allInnerTexts();
    expect([...added].sort()).toEqual([
      `+ alice → every user of account 111122223333 matching ${ACCT}:user/service-accounts/* (2) iam-003`,
      '+ alice → svc-notifier iam-002',
    ]);

    await waitForGraph(page);
    await page.waitForFunction(
      () => ((window as any).__accessgraphCanvas.marks()['escalation-added'] ?? []).length > 0,
    );
    const m = await marks(page);
    const toClass = m['escalation-added']!.filter((id) =>
      id.startsWith(`${alice}|ESCALATES|accessgraph:class:`),
    );
    expect(toClass).toHaveLength(1);
    expect([...m['escalation-added']!].sort()).toEqual(
      [`${alice}|ESCALATES|${svcNotifier}`, toClass[0]!].sort(),
    );
    expect(m['escalation-removed']).toEqual([]);
    expect(m.added).toEqual([`${alice}|MEMBER_OF|${QA}`]);
    // One edge per pair, its techniques as the label; the class node says what it stands for.
    const labels = await page.evaluate(
      ([edge, node]) => [
        (window as any).__accessgraphCanvas.edgeLabel(edge),
        (window as any).__accessgraphCanvas.edgeLabel(node),
      ],
      [`${alice}|ESCALATES|${svcNotifier}`, toClass[0]!.split('|')[2]!],
    );
    expect(labels).toEqual([
      'iam-002',
      `every user of account 111122223333 matching ${ACCT}:user/service-accounts/* (2)`,
    ]);
    await expect(page.getByTestId('legend-escalation').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'what-if-escalation.png') });
    await page.close();
  });

  /** What the what-if panel and the graph show once an answer is ready. */
  async function shownDiff(page: Page) {
    await page.locator('[data-testid="what-if-answer"][data-status="ready"]').waitFor();
    await waitForGraph(page);
    await page.waitForFunction(() => ((window as any).__accessgraphCanvas.marks().gained ?? []).length > 0);
    const m = await marks(page);
    return {
      tally: await page.locator('.tally').innerText(),
      principals: await page
        .getByTestId('what-if-principals')
        .locator('button.principal')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-principal'))),
      rows: await page.getByTestId('what-if-principals').locator('tr').allInnerTexts(),
      added: m.added,
      gained: m.gained,
      lost: m.lost,
    };
  }

  it('dropping the plan that attaches AmazonS3FullAccess to QA shows the same diff as the attach typed in', async () => {
    const typed = await newPage();
    await typed.goto(
      `${app.server.url}/?view=what-if&change=${encodeURIComponent('attachPolicy|AmazonS3FullAccess|group/QA')}`,
    );
    const fromFlags = await shownDiff(typed);
    await typed.close();

    const page = await newPage();
    await page.goto(`${app.server.url}/?view=what-if`);
    await waitForGraph(page);
    const plan = await readFile(join(FIXTURES, 'terraform-plans', 'handmade-attach-s3-to-qa.json'), 'utf8');
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'attach-s3-to-qa.json', { type: 'application/json' }));
      return dt;
    }, plan);
    await page.getByTestId('plan-drop').dispatchEvent('drop', { dataTransfer });
    const fromPlan = await shownDiff(page);
    expect(fromPlan).toEqual(fromFlags);
    expect(fromPlan.principals).toEqual([DAVE]);
    expect(fromPlan.added).toEqual([`${QA}|HAS_POLICY|${S3_FULL}`]);
    const summary = await page.getByTestId('what-if-plan').innerText();
    expect(summary).toContain('attach-s3-to-qa.json');
    expect(summary).toContain('1 resource change(s): 1 IAM-relevant → 1 change(s)');
    expect(summary).toContain(`aws_iam_group_policy_attachment.qa_s3 attachPolicy ${S3_FULL} → group/QA`);
    await page.close();
  });

  it('a state file chosen instead of a plan gets the server message, and a CloudFormation change set is read too', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}/?view=what-if`);
    await waitForGraph(page);
    await page.getByTestId('plan-file').setInputFiles({
      name: 'terraform.tfstate',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ format_version: '1.0', values: {} })),
    });
    const error = page.getByTestId('what-if-error');
    await error.waitFor();
    await expect(error.innerText()).resolves.toContain(
      'this is `terraform show -json` of a state, not of a plan',
    );

    await page
      .getByTestId('plan-file')
      .setInputFiles(join(FIXTURES, 'cloudformation-change-sets', 'handmade-modify-remove-demo.json'));
    await page.getByTestId('what-if-plan').waitFor();
    await page.locator('[data-testid="what-if-answer"]:not([data-status="loading"])').waitFor();
    await expect(page.getByTestId('what-if-plan').innerText()).resolves.toContain(
      'handmade-modify-remove-demo.json',
    );
    await page.close();
  });
});
