/**
 * The right-size view in Chromium against the real server on the demo account and its last-accessed evidence
 * (examples/demo/last-accessed/): dave, QA's only member, used S3 reads only, so QA's proposal detaches
 * QAServiceAccountKeys — his path to admin — and "preview" opens What-if with the change set, showing it closed.
 * A generated account of 56 principals, imported before the demo, is right-sized a page of 50 at a time.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccount, writeAccount } from '../../bench/generate/generate-account.ts';
import { REPO_ROOT } from './app-server.ts';
import { SCREENSHOTS, useBrowserApp } from './page-helpers.ts';

const ACCT = 'arn:aws:iam::111122223333';
const QA = `${ACCT}:group/QA`;
const DAVE = `${ACCT}:user/dave`;
const SVC_DEPLOY = `${ACCT}:user/service-accounts/svc-deploy`;

let generated = '';
beforeAll(async () => {
  generated = await mkdtemp(join(tmpdir(), 'accessgraph-rightsize-pages-'));
  await writeAccount(
    await generateAccount({
      users: 48,
      groups: 4,
      roles: 8,
      managedPolicies: 8,
      buckets: 2,
      seed: 'rightsize-pages',
    }),
    generated,
  );
});
afterAll(() => rm(generated, { recursive: true, force: true }));

// The demo is imported last: it is the current snapshot.
const app = useBrowserApp(() => ({
  imports: [
    { label: 'generated', bundle: generated },
    { label: 'demo', bundle: join(REPO_ROOT, 'examples/demo') },
  ],
}));

describe('right-size', () => {
  it("dave: used/unused per service, QA's proven proposal, its change set, and its preview closing his path to admin", async () => {
    const page = await app.newPage();
    await page.goto(app.server.url);
    await page.getByTestId('view-rightsize').click();
    await page.getByTestId('rightsize-from').fill('dave');
    await page.getByTestId('rightsize-from').press('Enter');
    await page.locator('[data-testid="rightsize-answer"][data-status="ready"]').waitFor();
    expect(new URL(page.url()).searchParams.get('from')).toBe('dave');

    // One bar per service: s3 used; the services he never used come first, unused.
    const dave = page.locator(`[data-testid="rightsize-principal"][data-principal="${DAVE}"]`);
    const rows = dave.locator('table.services tbody tr');
    const statuses = await rows.evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-service'), e.getAttribute('data-status')]),
    );
    expect(statuses).toContainEqual(['s3', 'USED']);
    expect(statuses[0]![1]).toBe('UNUSED');

    const qa = page.locator(`[data-testid="rightsize-proposal"][data-target="${QA}"]`);
    await expect(qa.getByTestId('proof').innerText()).resolves.toBe('proven: no used access lost');
    await expect(qa.locator('ol.changes').innerText()).resolves.toMatch(
      /QAServiceAccountKeys grants nothing/,
    );
    await expect(qa.getByTestId('path-closed').innerText()).resolves.toBe("closes dave's path to admin");
    await page.screenshot({ path: join(SCREENSHOTS, 'rightsize.png') });

    // The download is the change set itself, as `rightsize --out` writes it.
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      qa.getByTestId('download-changes').click(),
    ]);
    expect(file.suggestedFilename()).toBe('rightsize-group-QA.json');
    const changes = JSON.parse(await readFile((await file.path())!, 'utf8'));
    expect(changes).toContainEqual({
      op: 'detachPolicy',
      policy: `${ACCT}:policy/QAServiceAccountKeys`,
      target: QA,
    });

    // Preview: the What-if tab with the same changes, its answer showing dave's path to admin lost.
    await qa.getByTestId('preview-proposal').click();
    await page.locator('[data-testid="what-if-answer"][data-status="ready"]').waitFor();
    const url = new URL(page.url());
    expect(url.searchParams.get('view')).toBe('what-if');
    expect(url.searchParams.getAll('change').map((c) => c.split('|')[0])).toEqual(
      changes.map((c: any) => c.op),
    );
    await expect(page.getByTestId('what-if-escalation').innerText()).resolves.toMatch(
      /Lose their path to admin: dave/,
    );
    await page.close();
  });

  it("svc-deploy: the preview keeps the proposal's key deactivation as a form row and lists the key", async () => {
    const page = await app.newPage();
    await page.goto(`${app.server.url}/?view=rightsize&from=svc-deploy`);
    const proposal = page.locator(`[data-testid="rightsize-proposal"][data-target="${SVC_DEPLOY}"]`);
    // The demo's credential report has no key ids: the unused key is named by its slot (access_key_2).
    await expect(proposal.getByTestId('key-deactivated').innerText()).resolves.toBe(
      'key 2 of svc-deploy no longer signs requests',
    );

    await proposal.getByTestId('preview-proposal').click();
    await page.locator('[data-testid="what-if-answer"][data-status="ready"]').waitFor();
    expect(new URL(page.url()).searchParams.getAll('change')).toContain(
      `deactivateAccessKey|${SVC_DEPLOY}|2`,
    );
    const rows = page.getByTestId('what-if-form').locator('fieldset.change');
    const ops = await rows
      .locator('select')
      .evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value));
    const i = ops.indexOf('deactivateAccessKey');
    expect(i).toBeGreaterThanOrEqual(0);
    await expect(rows.nth(i).locator('input').nth(1).inputValue()).resolves.toBe('2');
    await expect(page.getByTestId('what-if-keys').innerText()).resolves.toMatch(
      /^Deactivated: key 2 of svc-deploy — it no longer signs requests$/,
    );
    await page.close();
  });

  it('"Show more" appends the next page of principals, from the keyboard, and an entry from it opens', async () => {
    const response = await fetch(`${app.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ snapshots { id label } }' }),
    });
    const { data } = (await response.json()) as { data: { snapshots: { id: string; label: string }[] } };
    const snapshot = data.snapshots.find((s) => s.label === 'generated')!.id;
    const page = await app.newPage();
    await page.goto(`${app.server.url}/?view=rightsize&snapshot=${snapshot}`);
    // Empty: every principal of the account (48 users and 8 roles).
    await page.getByTestId('rightsize-form').getByRole('button', { name: 'Show' }).click();
    await page.locator('[data-testid="rightsize-answer"][data-status="ready"]').waitFor({ timeout: 180_000 });
    const principals = page.getByTestId('rightsize-principal');
    const arns = () => principals.evaluateAll((els) => els.map((e) => e.getAttribute('data-principal')!));
    const first = await arns();
    expect(first).toHaveLength(50);
    const more = page.getByTestId('rightsize-more');
    await expect(more.innerText()).resolves.toBe('Show more (50 of 56)');

    await more.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="rightsize-principal"]').length === 56,
      undefined,
      { timeout: 180_000 },
    );
    const all = await arns();
    // The second page follows the first (pages split the principals in ARN order), nothing repeated; it was the
    // last page.
    expect(all.slice(0, 50)).toEqual(first);
    expect(new Set(all).size).toBe(56);
    const last = [...first].sort().at(-1)!;
    expect(all.slice(50).every((arn) => arn > last)).toBe(true);
    expect(await more.count()).toBe(0);

    // The focus is on the second page's first principal: Enter opens it, the view and its snapshot stay.
    const opened = all[50]!;
    const focused = await page.evaluate(() =>
      document.activeElement?.closest('[data-testid="rightsize-principal"]')?.getAttribute('data-principal'),
    );
    expect(focused).toBe(opened);
    await page.keyboard.press('Enter');
    await page
      .getByTestId('entity-panel')
      .getByRole('heading', { name: opened.split('/').pop() })
      .waitFor();
    const url = new URL(page.url());
    expect([
      url.searchParams.get('view'),
      url.searchParams.get('snapshot'),
      url.searchParams.get('select'),
    ]).toEqual(['rightsize', snapshot, opened]);
    // Opening an entry does not ask again: all 56 principals are still shown.
    expect(await principals.count()).toBe(56);
    await page.close();
    // Two pages of right-sizing with their what-if proofs, on a first analysis of the snapshot: 10 s of CPU, and
    // minutes of wall time on a 2-core host shared by many test runs.
  }, 400_000);
});
