/**
 * The explorer in Debian's Chromium against the real HTTP server (GraphQL + built UI) on the demo account
 * (examples/demo/README.md: alice, bob and elena in Engineering, elena bounded by PowerUserAccess, the
 * lambda-order-processor role trusted by Lambda). Route stubs only where the server cannot easily produce the state:
 * server down, and a synthetic 2,000-element graph (its render time is measured by `npm run bench -- --only web`). Screenshots go to test-results/screenshots/ (gitignored), or to
 * docs/screenshots/ with UPDATE_SCREENSHOTS=1, so a test run never dirties committed files.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clickNode, SCREENSHOTS, waitForGraph, useBrowserApp } from './page-helpers.ts';
import { serveSyntheticGraph, syntheticGraph } from '../../bench/generate/synthetic-graph.ts';

const ACCT = 'arn:aws:iam::111122223333';
const ALICE = `${ACCT}:user/alice`;

const app = useBrowserApp();
const newPage = () => app.newPage();

describe('explorer', () => {
  it('renders the whole account and a click on a user opens the panel with their groups and policies', async () => {
    const page = await newPage();
    await page.goto(app.server.url);
    await waitForGraph(page);
    const drawn: string[] = await page.evaluate(() => (window as any).__accessgraphCanvas.ids());
    expect(drawn).toEqual(
      expect.arrayContaining([ALICE, `${ACCT}:group/Engineering`, `${ACCT}:role/lambda-order-processor`]),
    );
    await expect(page.getByTestId('snapshot-picker').inputValue()).resolves.toMatch(/^111122223333-/);
    await page.screenshot({ path: join(SCREENSHOTS, 'explorer-account.png') });

    await clickNode(page, ALICE);
    const panel = page.getByTestId('entity-panel');
    await panel.getByRole('heading', { name: 'alice' }).waitFor();
    await expect(panel.getByTestId('panel-groups').innerText()).resolves.toBe('GROUPS (1)\nEngineering');
    await expect(panel.innerText()).resolves.toContain('AmazonS3FullAccess');
    // The selection is in the URL, so the view can be shared.
    expect(new URL(page.url()).searchParams.get('select')).toBe(ALICE);
    // The canvas shrank when the panel opened: cytoscape must know, or it draws under the panel.
    const canvasBox = (await page.getByTestId('graph-canvas').boundingBox())!;
    const panelBox = (await panel.boundingBox())!;
    expect(canvasBox.x + canvasBox.width).toBeLessThanOrEqual(panelBox.x + 1);
    expect(
      await page
        .locator('[data-testid="graph-canvas"] canvas')
        .first()
        .evaluate((c) => c.getBoundingClientRect().right),
    ).toBeLessThanOrEqual(panelBox.x + 1);
    await page.screenshot({ path: join(SCREENSHOTS, 'explorer-user-panel.png') });

    // Following the group link in the panel shows the group's members.
    await panel.getByTestId('panel-groups').getByRole('button', { name: 'Engineering' }).click();
    await panel.getByRole('heading', { name: 'Engineering' }).waitFor();
    await expect(panel.getByTestId('panel-members').innerText()).resolves.toBe(
      'MEMBERS (3)\nalice\nbob\nelena',
    );

    // A policy link opens the policy: its document and where it is attached.
    await panel.getByRole('button', { name: 'AmazonS3FullAccess' }).first().click();
    await panel.getByRole('heading', { name: 'AmazonS3FullAccess' }).waitFor();
    const policyText = await panel.innerText();
    expect(policyText).toContain('"s3:*"');
    expect(policyText).toContain('Engineering group');

    // A role shows its trust policy.
    await clickNode(page, `${ACCT}:role/lambda-order-processor`);
    await panel.getByRole('heading', { name: 'lambda-order-processor' }).waitFor();
    await expect(panel.getByLabel('Trust policy').innerText()).resolves.toContain('lambda.amazonaws.com');

    // A user with a permissions boundary shows it.
    await clickNode(page, `${ACCT}:user/elena`);
    await panel.getByRole('heading', { name: 'elena' }).waitFor();
    await expect(panel.getByTestId('panel-boundary').innerText()).resolves.toContain('PowerUserAccess');
    await page.close();
  });

  it('collapses a large group into "+N users" and expands it on request', async () => {
    const page = await newPage();
    const group = { id: `${ACCT}:group/everyone`, kind: 'GROUP', label: 'everyone' };
    const members = Array.from({ length: 30 }, (_, i) => ({
      id: `${ACCT}:user/member-${i}`,
      kind: 'USER',
      label: `member-${i}`,
    }));
    const graph = {
      nodes: [group, ...members],
      edges: members.map((m) => ({ source: m.id, target: group.id, kind: 'MEMBER_OF' })),
    };
    await page.route('**/graphql', async (route) => {
      const body = route.request().postDataJSON();
      if (body.operationName !== 'Graph') return route.continue();
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ data: { graph: { __typename: 'Graph', ...graph } } }),
      });
    });
    await page.goto(app.server.url);
    expect(await waitForGraph(page)).toBe(3); // the group, "+30 users", one edge
    await clickNode(page, `aggregate:${group.id}`);
    const panel = page.getByTestId('entity-panel');
    await panel.getByRole('heading', { name: '+30 users' }).waitFor();
    await panel.getByRole('button', { name: 'Show them on the graph' }).click();
    await page.waitForFunction(
      () =>
        Number(document.querySelector('[data-testid="graph-canvas"]')?.getAttribute('data-elements')) === 61,
    );
    await page.close();
  });

  it('search with autocomplete focuses the graph on the picked user', async () => {
    const page = await newPage();
    await page.goto(app.server.url);
    await waitForGraph(page);
    // The combobox keys: the first hit is active, arrows move and wrap, Escape closes the list.
    const search = page.getByTestId('search');
    await search.fill('a');
    const list = page.getByRole('listbox', { name: 'Users and roles' });
    await list.waitFor();
    const hits = await list.getByRole('option').count();
    expect(hits).toBeGreaterThan(1);
    await expect(search.getAttribute('aria-activedescendant')).resolves.toBe('search-results-0');
    await search.press('ArrowDown');
    await expect(search.getAttribute('aria-activedescendant')).resolves.toBe('search-results-1');
    await search.press('ArrowUp');
    await search.press('ArrowUp');
    await expect(search.getAttribute('aria-activedescendant')).resolves.toBe(`search-results-${hits - 1}`);
    await expect(list.getByRole('option', { selected: true }).count()).resolves.toBe(1);
    await search.press('Escape');
    await list.waitFor({ state: 'detached' });
    await expect(search.getAttribute('aria-expanded')).resolves.toBe('false');
    expect(new URL(page.url()).searchParams.get('focus')).toBeNull();

    await search.fill('bo');
    const option = page.getByRole('option', { name: /bob/ });
    await option.waitFor();
    await page.getByTestId('search').press('Enter');
    await page.waitForURL((u) => u.searchParams.get('focus') === `${ACCT}:user/bob`);
    await waitForGraph(page);
    await page.getByTestId('entity-panel').getByRole('heading', { name: 'bob' }).waitFor();
    await page.getByTestId('whole-account').waitFor();
    // Back returns to the whole account: the view lives in the URL history.
    await page.goBack();
    await page.getByTestId('whole-account').waitFor({ state: 'detached' });
    await waitForGraph(page);
    const drawn: string[] = await page.evaluate(() => (window as any).__accessgraphCanvas.ids());
    expect(drawn).toContain(ALICE);
    await page.close();
  });

  it('a deep link restores the focus, the filters and the open panel', async () => {
    const page = await newPage();
    const link = `${app.server.url}/?focus=${encodeURIComponent(ALICE)}&depth=1&hide=ACCESS_KEY,POLICY&select=${encodeURIComponent(ALICE)}`;
    await page.goto(link);
    await waitForGraph(page);
    const drawn: string[] = await page.evaluate(() => (window as any).__accessgraphCanvas.ids());
    // depth 1 around alice: alice and her group (her access keys hidden); bob and elena are two hops away.
    expect(drawn.filter((id) => !id.includes('|')).sort()).toEqual([`${ACCT}:group/Engineering`, ALICE]);
    await page.getByTestId('entity-panel').getByRole('heading', { name: 'alice' }).waitFor();
    await expect(page.getByRole('checkbox', { name: /policies/ }).isChecked()).resolves.toBe(false);
    // Two nodes are fitted, but not blown up to poster size (FIT_MAX_ZOOM).
    expect(await page.evaluate(() => (window as any).__accessgraphCanvas.zoom())).toBeLessThanOrEqual(1.5);
    await page.screenshot({ path: join(SCREENSHOTS, 'explorer-deep-link.png') });
    await page.close();
  });

  it('the panel lists the findings about the entity, most severe first', async () => {
    const page = await newPage();
    await page.goto(`${app.server.url}/?select=${encodeURIComponent(`${ACCT}:user/carol`)}`);
    const findings = page.getByTestId('entity-panel').getByTestId('panel-findings');
    await findings.locator('li').first().waitFor();
    const rows = await findings.locator('summary').allInnerTexts();
    // examples/demo: carol signs in without MFA, and her policies are attached directly.
    expect(rows[0]).toMatch(/^high\s/);
    expect(rows.join('\n')).toMatch(/MFA/);
    expect(rows.join('\n')).toMatch(/direct/i);
    // alice has none.
    await page.goto(`${app.server.url}/?select=${encodeURIComponent(ALICE)}`);
    await page.getByTestId('panel-findings').getByText('None').waitFor();
    await page.close();
  });

  it("the panel shows a principal's effective permissions by service and access level", async () => {
    const page = await newPage();
    // examples/demo/README.md: svc-notifier can sns:Publish to order-events, nothing else.
    await page.goto(
      `${app.server.url}/?select=${encodeURIComponent(`${ACCT}:user/service-accounts/svc-notifier`)}`,
    );
    const access = page.getByTestId('entity-panel').getByTestId('panel-access');
    await access.locator('table').waitFor();
    const rows = await access.locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t').map((c) => c.trim()))).toEqual([['sns', '', '', '1', '', '']]);
    await access.getByRole('button', { name: 'sns' }).click();
    await expect(access.getByTestId('panel-access-actions').innerText()).resolves.toBe(
      'Write\nsns:Publish arn:aws:sns:eu-central-1:111122223333:order-events',
    );
    // grace (Admins → AdministratorAccess) holds permissions management in IAM.
    await page.goto(`${app.server.url}/?select=${encodeURIComponent(`${ACCT}:user/grace`)}`);
    const iam = page
      .getByTestId('panel-access')
      .locator('tbody tr', { has: page.getByRole('button', { name: 'iam', exact: true }) });
    await iam.waitFor();
    const cells = (await iam.innerText()).split('\t').map((c) => c.trim());
    expect(Number.parseInt(cells[4]!, 10)).toBeGreaterThan(10);
    await page.close();
  });

  it('a resource panel says who can do what on it, by access level, with its policy', async () => {
    const page = await newPage();
    const bucket = 'arn:aws:s3:::example-corp-engineering';
    await page.goto(`${app.server.url}/?select=${encodeURIComponent(bucket)}`);
    const panel = page.getByTestId('entity-panel');
    const whoCan = panel.getByTestId('panel-resource-who-can');
    await whoCan.waitFor();
    const text = await whoCan.innerText();
    // examples/demo/README.md: ec2-build-agent reads it through the bucket policy alone; svc-notifier cannot.
    expect(text).toMatch(/^Read \(\d+\)$/m);
    expect(text).toContain('ec2-build-agent');
    expect(text).toContain('alice');
    expect(text).not.toContain('svc-notifier');
    await expect(panel.getByLabel('Resource policy').innerText()).resolves.toContain('DenyInsecureTransport');
    // A principal in the list opens its own panel.
    await whoCan.getByRole('button', { name: 'ec2-build-agent' }).first().click();
    await panel.getByRole('heading', { name: 'ec2-build-agent' }).waitFor();
    await page.close();
  });

  it('keyboard users can walk the graph: arrows select nodes and open their panel, Escape closes it', async () => {
    const page = await newPage();
    await page.goto(app.server.url);
    await waitForGraph(page);
    await page.getByTestId('graph-canvas').focus();
    await page.keyboard.press('ArrowRight');
    const panel = page.getByTestId('entity-panel');
    await panel.waitFor();
    const first = new URL(page.url()).searchParams.get('select');
    expect(first).toMatch(/^arn:aws:iam::/);
    await page.keyboard.press('ArrowRight');
    await page.waitForURL((u) => u.searchParams.get('select') !== first);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    await page.close();
  });

  it('says clearly when the server cannot be reached', async () => {
    const page = await newPage();
    await page.route('**/graphql', (route) => route.abort('connectionrefused'));
    await page.goto(app.server.url);
    const error = page.getByTestId('error');
    await error.waitFor();
    await expect(error.innerText()).resolves.toContain('Cannot reach the accessgraph server');
    await page.close();
  });
});

describe('a 2,000-element graph', () => {
  it('is drawn whole and laid out, in the layered preset and around a focus (fcose)', async () => {
    const graph = syntheticGraph();
    expect(graph.nodes.length + graph.edges.length).toBe(2000);
    for (const query of ['', `?focus=${encodeURIComponent(graph.nodes[0]!.id)}`]) {
      const page = await newPage();
      await serveSyntheticGraph(page, graph);
      await page.goto(`${app.server.url}/${query}`);
      expect(await waitForGraph(page, 2000)).toBe(2000);
      // Laid out: every node has a place on the canvas (a user, a group and a bucket, say).
      for (const id of [
        graph.nodes[0]!.id,
        graph.nodes.at(-1)!.id,
        `arn:aws:iam::999988887777:group/team-0`,
      ]) {
        const pos = await page.evaluate((n) => (window as any).__accessgraphCanvas.renderedPosition(n), id);
        expect(pos, id).toEqual({ x: expect.any(Number), y: expect.any(Number) });
      }
      // The phases the web bench reports are marked by the canvas.
      const phases = await page.evaluate(() =>
        ['accessgraph:set-elements', 'accessgraph:layout'].map((n) => performance.getEntriesByName(n).length),
      );
      expect(phases.every((n) => n > 0)).toBe(true);
      if (!query) await page.screenshot({ path: join(SCREENSHOTS, 'explorer-2000-elements.png') });
      await page.close();
    }
  });
});
