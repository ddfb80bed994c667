// An operator settles deliveries in doubt from their own view, in a real headless Chromium: the
// overview calls them out; the in-doubt view lists them (since when, why); the operator selects
// them, declares them delivered after a confirmation in the page, and sees the list empty; then
// (with --all-ids) settles all that is left of the receiver in one bulk action, after a preview.
// Driven by OperatorViewBrowserIT; exit code 0 when all of that is seen on the page, 1 (with the
// reason on stderr and a screenshot) otherwise, 2 for a wrong command line.
//
//   node in-doubt.mjs --url=http://127.0.0.1:8080/courier/monitor/ --user=U --password=P \
//     --receiver=R --ids=id1,id2,id3 [--all-ids=id4,id5] --screenshot=target/in-doubt.png [--timeout=60]
import { commandLine, log, openMonitorSignedIn, quoted, runOnOnePage, StepFailed, textOf, watch } from './script.mjs';

const args = commandLine('in-doubt.mjs', ['url', 'user', 'password', 'receiver', 'ids', 'screenshot']);
const ids = args.ids.split(',').filter((id) => id !== '');
const allIds = (args['all-ids'] || '').split(',').filter((id) => id !== '');
const timeoutMs = Number(args.timeout || 60) * 1000;

async function run(page) {
  const until = watch(page, timeoutMs);
  await openMonitorSignedIn(page, until, args.url, args.user, args.password);
  const callout = page.locator('[data-testid="attention-in-doubt"]');
  await until('in-doubt deliveries called out on the overview', async () => {
    const n = Number(await callout.getAttribute('data-count'));
    return [n >= ids.length, `callout: ${await textOf(callout)}`];
  });
  await callout.click();

  const row = (id) => page.locator(`tr[data-testid="in-doubt-row"][data-message-id=${quoted(id)}][data-receiver=${quoted(args.receiver)}]`);
  await until(`the in-doubt view listing ${ids.join(', ')}`, async () => {
    const counts = await Promise.all(ids.map((id) => row(id).count()));
    return [counts.every((n) => n === 1), `listed: ${counts.join(', ')}`];
  });
  if (!(await page.locator('[data-testid="in-doubt-all-delivered"]').isDisabled())) {
    throw new StepFailed('"declare all of the receiver delivered" is offered without a receiver');
  }
  for (const id of ids) {
    const why = await textOf(row(id).locator('td.error'));
    if (!why) throw new StepFailed(`no reason shown for ${id}`);
    await row(id).locator('[data-testid="in-doubt-select"]').check();
  }
  log(`selected ${ids.length} in doubt: ${await textOf(page.locator('[data-testid="in-doubt-summary"]'))}`);

  await page.click('[data-testid="in-doubt-delivered"]');
  const panel = page.locator('[data-testid="settle-panel"]');
  await until(`a confirmation for ${ids.length}`, async () => {
    const listed = await panel.locator('[data-testid="settle-list"] li').count();
    return [(await panel.isVisible()) && listed === ids.length, `${listed} listed`];
  });
  await panel.locator('[data-testid="settle-confirm"]').click();

  await until(`the notice that ${ids.length} were declared delivered`, async () => {
    const notes = await page.locator('[data-testid="info"]').allTextContents();
    return [notes.some((n) => n.includes(`Declared ${ids.length} deliveries delivered`)), notes.join(' | ') || 'no notice'];
  });
  await until('none of them in doubt any more', async () => {
    const counts = await Promise.all(ids.map((id) => row(id).count()));
    return [counts.every((n) => n === 0), `still listed: ${counts.join(', ')}`];
  });
  log(`settled ${ids.length}`);
  if (allIds.length > 0) await settleAll(page, until, row);
}

/** The rest of the receiver's, in one bulk action: the receiver given, a preview, a confirmation, progress. */
async function settleAll(page, until, row) {
  await until(`the in-doubt view listing ${allIds.join(', ')}`, async () => {
    const counts = await Promise.all(allIds.map((id) => row(id).count()));
    return [counts.every((n) => n === 1), `listed: ${counts.join(', ')}`];
  });
  await page.fill('[data-testid="in-doubt-receiver-filter"]', args.receiver);
  await page.click('[data-testid="in-doubt-refresh"]');
  await page.click('[data-testid="in-doubt-all-delivered"]');
  const panel = page.locator('[data-testid="settle-panel"]');
  let previewed = 0;
  await until(`a preview of at least ${allIds.length}`, async () => {
    previewed = (await panel.isVisible()) ? Number(await textOf(panel.locator('[data-testid="bulk-count"]'))) : 0;
    return [previewed >= allIds.length, `preview: ${previewed}`];
  });
  log(`preview: declare ${previewed} of ${args.receiver} delivered; confirming`);
  await panel.locator('[data-testid="bulk-confirm"]').click();
  await until(`the notice that ${previewed} were declared delivered`, async () => {
    const notes = await page.locator('[data-testid="info"]').allTextContents();
    return [notes.some((n) => n.includes(`Declared ${previewed} deliveries to ${args.receiver} delivered`)),
      notes.join(' | ') || 'no notice'];
  });
  await until(`nothing of ${args.receiver} in doubt any more`, async () => {
    const summary = await textOf(page.locator('[data-testid="in-doubt-summary"]'));
    const counts = await Promise.all(allIds.map((id) => row(id).count()));
    return [summary === 'Nothing is in doubt.' && counts.every((n) => n === 0), `${summary}; listed: ${counts.join(', ')}`];
  });
  log(`settled all ${previewed} of ${args.receiver} in one action`);
}

await runOnOnePage(args.screenshot, run, 'PASSED: in-doubt deliveries found from the overview, selected, declared delivered');
