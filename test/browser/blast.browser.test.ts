/**
 * The blast radius view in Chromium against the real server on the demo account (examples/demo/README.md: grace
 * is admin; bob escalates to lambda-order-processor with iam:PassRole + lambda:CreateFunction).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawnIds, highlightedIds, SCREENSHOTS, waitForGraph, useBrowserApp } from './page-helpers.ts';

const ACCT = 'arn:aws:iam::111122223333';
const BOB = `${ACCT}:user/bob`;
const LAMBDA_ROLE = `${ACCT}:role/lambda-order-processor`;
const GRACE = `${ACCT}:user/grace`;
const PLATFORM = `${ACCT}:role/platform-admin`;

const app = useBrowserApp();
const newPage = () => app.newPage();

describe('blast radius', () => {
  it('bob: no admin, but lambda-order-processor through a named technique with its evidence, drawn and highlighted', async () => {
    const page = await newPage();
    await page.goto(app.server.url);
    await page.getByTestId('view-blast').click();
    await page.getByTestId('blast-from').fill('bob');
    await page.getByTestId('blast-from').press('Enter');
    await page.locator('[data-testid="blast-answer"][data-status="ready"]').waitFor();
    await expect(page.getByTestId('admin-badge').innerText()).resolves.toBe('no path to admin');
    const reached = page.getByTestId('blast-principals');
    const text = await reached.innerText();
    expect(text).toContain('lambda-order-processor (role)');
    expect(text).toMatch(/bob → lambda-order-processor lambda-\d+/);
    await waitForGraph(page);
    expect(await drawnIds(page)).toEqual(
      expect.arrayContaining([BOB, LAMBDA_ROLE, 'arn:aws:s3:::example-corp-engineering']),
    );

    await reached.locator(`button.path[data-path="${LAMBDA_ROLE}"]`).click();
    await page.waitForFunction(() => (window as any).__accessgraphCanvas.highlighted().length > 0);
    expect((await highlightedIds(page)).sort()).toEqual(
      [BOB, LAMBDA_ROLE, `${BOB}|ESCALATES|${LAMBDA_ROLE}`].sort(),
    );
    await reached.getByText('evidence (3)').click();
    await expect(reached.innerText()).resolves.toContain('PassLambdaRoles');
    expect(new URL(page.url()).searchParams.get('result')).toBe(LAMBDA_ROLE);
    await page.screenshot({ path: join(SCREENSHOTS, 'blast-radius.png') });
    await page.close();
  });

  it('a link to grace: admin itself, and through platform-admin only with MFA', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}/?view=blast&from=grace&result=${encodeURIComponent('admin:1')}`);
    await page.locator('[data-testid="blast-answer"][data-status="ready"]').waitFor();
    await expect(page.getByTestId('admin-badge').innerText()).resolves.toBe('reaches admin');
    const paths = await page.getByTestId('blast-admin-paths').locator('button.path').allInnerTexts();
    expect(paths[0]).toMatch(/^admin-equivalent itself\s+0 hops$/);
    expect(paths[1]).toMatch(/via platform-admin\s+1 hop\s+conditional/);
    await waitForGraph(page);
    await page.waitForFunction(() => (window as any).__accessgraphCanvas.highlighted().length > 0);
    expect(await highlightedIds(page)).toEqual(
      expect.arrayContaining([GRACE, PLATFORM, 'accessgraph:admin']),
    );
    await page.close();
  });

  it('an unknown principal gets the server message', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}/?view=blast&from=nobody`);
    await page.getByTestId('blast-error').waitFor();
    await expect(page.getByTestId('blast-error').innerText()).resolves.toMatch(/nobody/);
    await page.close();
  });

  it('a failed request shows Retry, which asks again and shows the answer', async () => {
    const page = await newPage();
    // The first blast-radius request fails on the network; every later one goes through.
    let failed = false;
    await page.route('**/graphql', (route) => {
      if (!failed && route.request().postData()?.includes('blastRadius')) {
        failed = true;
        return route.abort('connectionrefused');
      }
      return route.continue();
    });
    await page.goto(`${app.server.url}/?view=blast&from=grace`);
    const answer = page.getByTestId('blast-answer');
    await page.locator('[data-testid="blast-answer"][data-status="error"]').waitFor();
    await answer.getByRole('button', { name: 'Retry' }).click();
    await page.locator('[data-testid="blast-answer"][data-status="ready"]').waitFor();
    await expect(page.getByTestId('admin-badge').innerText()).resolves.toBe('reaches admin');
    await page.close();
  });
});
