/**
 * The paths view in Chromium against the real server on the demo account: dave reaches admin through
 * svc-deploy and cfn-deployer (examples/demo/README.md), each step named by its technique; a deep link restores it.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { highlightedIds, SCREENSHOTS, useBrowserApp, waitForGraph } from './page-helpers.ts';

const ACCT = 'arn:aws:iam::111122223333';
const DAVE = `${ACCT}:user/dave`;
const CFN = `${ACCT}:role/cfn-deployer`;

const app = useBrowserApp();

describe('paths', () => {
  it('dave to admin: dave → svc-deploy → cfn-deployer → ADMIN with technique ids, drawn, and a deep link restores it', async () => {
    const page = await app.newPage();
    await page.goto(app.server.url);
    await page.getByTestId('view-paths').click();
    await page.getByLabel('from a user or role').fill('dave');
    await page.getByTestId('paths-form').getByRole('button', { name: 'Find' }).click();
    await page.locator('[data-testid="paths-answer"][data-status="ready"]').waitFor();
    const titles = await page.getByTestId('paths-list').locator('button.path .title').allInnerTexts();
    expect(titles).toContain('dave → svc-deploy → cfn-deployer → ADMIN');
    const rank = titles.indexOf('dave → svc-deploy → cfn-deployer → ADMIN');
    await page.locator(`button.path[data-path="${rank}"]`).click();
    const techniques = await page
      .locator(`button.path[data-path="${rank}"] + ol.steps > li`)
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-technique')));
    expect(techniques).toHaveLength(3);
    expect(techniques.every((t) => !!t && t.length > 0)).toBe(true);
    expect(techniques.slice(1).some((t) => /^iam-\d+$/.test(t!))).toBe(true);

    await waitForGraph(page);
    await expect
      .poll(() => highlightedIds(page))
      .toEqual(expect.arrayContaining([DAVE, CFN, 'accessgraph:admin']));
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      view: 'paths',
      from: 'dave',
      result: String(rank),
    });
    await page.screenshot({ path: join(SCREENSHOTS, 'paths.png') });

    // The deep link, in a fresh tab, restores the question, the answer and the picked path.
    const again = await app.newPage();
    await again.goto(page.url());
    await again.locator('[data-testid="paths-answer"][data-status="ready"]').waitFor();
    await expect(again.getByLabel('from a user or role').inputValue()).resolves.toBe('dave');
    await expect(
      again.locator(`button.path[data-path="${rank}"]`).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    await waitForGraph(again);
    await expect.poll(() => highlightedIds(again)).toEqual(expect.arrayContaining([DAVE, CFN]));
    await page.close();
    await again.close();
  });

  it('k and max steps bound the answer, live in the URL, and a bad bound is refused with a message', async () => {
    const page = await app.newPage();
    await page.goto(`${app.server.url}/?view=paths`);
    const answer = page.locator('[data-testid="paths-answer"][data-status="ready"]');
    const titles = () => page.getByTestId('paths-list').locator('button.path .title').allInnerTexts();
    const find = page.getByTestId('paths-form').getByRole('button', { name: 'Find' });
    await page.getByLabel('from a user or role').fill('dave');
    await page.getByLabel('how many paths').fill('1');
    await find.click();
    await answer.waitFor();
    expect(await titles()).toEqual(['dave → svc-deploy → cfn-deployer → ADMIN']);
    expect(new URL(page.url()).searchParams.get('k')).toBe('1');

    // dave has at least three ways to admin (examples/demo/README.md; `accessgraph paths dave --admin -k 3`).
    await page.getByLabel('how many paths').fill('3');
    await find.click();
    await expect.poll(titles).toHaveLength(3);
    expect(new URL(page.url()).searchParams.get('k')).toBe('3');

    // Out of the API's range: nothing is asked, the message says what is allowed.
    await page.getByLabel('how many paths').fill('0');
    await expect(page.getByTestId('paths-bound-error').innerText()).resolves.toBe(
      'The number of paths must be a whole number from 1 to 100, not “0”.',
    );
    await expect(find.isDisabled()).resolves.toBe(true);
    await page.getByLabel('how many paths').fill('3');

    // Every path of dave's takes three steps: within two there is none, and the answer says within how many.
    await page.getByLabel('at most steps').fill('2');
    await find.click();
    await page.getByTestId('paths-none').waitFor();
    await expect(page.getByTestId('paths-none').innerText()).resolves.toBe(
      'No path from dave to ADMIN within 2 steps.',
    );
    expect(new URL(page.url()).searchParams.get('maxDepth')).toBe('2');

    // A link restores the bounds into the form.
    const again = await app.newPage();
    await again.goto(`${app.server.url}/?view=paths&from=dave&k=1`);
    await again.locator('[data-testid="paths-answer"][data-status="ready"]').waitFor();
    await expect(again.getByLabel('how many paths').inputValue()).resolves.toBe('1');
    await expect(again.getByTestId('paths-list').locator('button.path').count()).resolves.toBe(1);
    await page.close();
    await again.close();
  });

  it('when the server cannot be reached the paths answer says so', async () => {
    const page = await app.newPage();
    await page.goto(`${app.server.url}/?view=paths`);
    await page.getByTestId('snapshot-picker').locator('option').first().waitFor({ state: 'attached' });
    await page.route('**/graphql', (route) =>
      route.request().postDataJSON()?.operationName === 'Paths'
        ? route.abort('connectionrefused')
        : route.continue(),
    );
    await page.getByLabel('from a user or role').fill('dave');
    await page.getByTestId('paths-form').getByRole('button', { name: 'Find' }).click();
    const error = page.getByTestId('paths-error');
    await error.waitFor();
    await expect(error.innerText()).resolves.toContain('Cannot reach the accessgraph server');
    await page.close();
  });
});
