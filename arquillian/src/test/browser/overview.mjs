// An operator at the message monitor's landing page, in a real headless Chromium: sees at a glance
// which receiver is failing, why, and how many deliveries wait for it; opens its errors, grouped;
// resends the whole group in one action after a preview and a confirmation; watches the failure
// store empty and the overview calm down.
// Driven by OperatorViewBrowserIT; exit code 0 when all of that is seen on the page, 1 (with the
// reason on stderr and a screenshot) otherwise, 2 for a wrong command line.
//
//   node overview.mjs --url=http://127.0.0.1:8080/courier/monitor/ --user=U --password=P \
//     --receiver=R --count=30 --error='order <id> unknown' --screenshot=target/overview.png [--timeout=60]
import { commandLine, log, openMonitorSignedIn, quoted, runOnOnePage, StepFailed, textOf, watch } from './script.mjs';

const args = commandLine('overview.mjs', ['url', 'user', 'password', 'receiver', 'count', 'error', 'screenshot'],
  (a) => (/^\d+$/.test(a.count || '') ? null : '--count must be a whole number'));
const timeoutMs = Number(args.timeout || 60) * 1000;
const count = args.count;

async function run(page) {
  const until = watch(page, timeoutMs);
  const started = Date.now();
  await openMonitorSignedIn(page, until, args.url, args.user, args.password);

  // the landing page is the overview: no click needed
  await until('the overview as the landing page', async () => [await page.locator('[data-testid="view-overview"]').isVisible(),
    'the overview is not shown']);
  const failedCallout = page.locator('[data-testid="attention-failed"]');
  await until('the failure store called out at the top', async () => {
    const n = Number(await failedCallout.getAttribute('data-count'));
    return [n >= Number(count), `callout: ${await textOf(failedCallout)}`];
  });
  const row = page.locator(`tr[data-testid="overview-receiver"][data-receiver=${quoted(args.receiver)}]`);
  await until(`receiver ${args.receiver} failing with ${count} in the failure store`, async () => {
    const failed = await row.getAttribute('data-failed-now');
    return [failed === count, `failed now: ${failed}`];
  });
  const why = await textOf(row.locator('[data-testid="overview-why"]'));
  const waiting = await textOf(row.locator('[data-testid="overview-waiting"]'));
  // "why" shows one error as recorded: the group's words with an id where the group says <id>
  if (!args.error.split('<id>').every((words) => why.includes(words))) {
    throw new StepFailed(`"why" does not say ${args.error}: ${why}`);
  }
  log(`overview: ${args.receiver} is failing: ${why}; ${waiting} waiting`);
  if (waiting !== count) throw new StepFailed(`waiting now is ${waiting}, not ${count}`);
  const traffic = page.locator('[data-testid="chart-traffic"]');
  await until(`the traffic chart: at least ${count} deliveries accepted in the window`, async () => {
    const accepted = Number(await traffic.getAttribute('data-accepted'));
    return [accepted >= Number(count) && (await traffic.locator('polyline.accepted').count()) > 0,
      `chart: ${await traffic.getAttribute('aria-label')}`];
  });
  const backlogChart = page.locator('[data-testid="chart-backlog"]');
  if ((await backlogChart.count()) !== 1 || !(await backlogChart.getAttribute('aria-label')).startsWith('Backlog')) {
    throw new StepFailed('no backlog chart');
  }
  log(`charts: ${await traffic.getAttribute('aria-label')}; ${await backlogChart.getAttribute('aria-label')}`);

  await row.locator('[data-testid="overview-errors"]').click();
  const group = page.locator(`tr[data-testid="failure-group"][data-receiver=${quoted(args.receiver)}]`);
  await until(`one error group of ${count} for ${args.receiver}`, async () => {
    const groups = await group.count();
    const n = groups === 1 ? await group.getAttribute('data-count') : null;
    const text = groups === 1 ? await textOf(group.locator('td.error')) : '';
    return [groups === 1 && n === count && text.includes(args.error), `${groups} groups; count ${n}; error ${text}`];
  });
  log(`errors of ${args.receiver}: one group of ${count}: ${args.error}`);
  log(`found in ${((Date.now() - started) / 1000).toFixed(1)} s from signing in`);

  await group.locator('[data-testid="group-resend"]').click();
  const panel = page.locator('[data-testid="bulk-panel"]');
  await until(`a preview of ${count} deliveries`, async () => {
    const shown = await panel.isVisible();
    const n = shown ? await textOf(panel.locator('[data-testid="bulk-count"]')) : '(hidden)';
    const listed = shown ? await panel.locator('[data-testid="bulk-examples"] li').count() : 0;
    return [n === count && listed === Math.min(20, Number(count)), `preview count ${n}, ${listed} listed`];
  });
  log(`preview: resend ${count}; confirming`);
  await panel.locator('[data-testid="bulk-confirm"]').click();

  const notice = page.locator('[data-testid="info"]');
  await until(`the notice that ${count} were resent`, async () => {
    const notes = await notice.allTextContents();
    return [notes.some((n) => n.includes(`Resent ${count} deliveries to ${args.receiver}`)), notes.join(' | ') || 'no notice'];
  });
  await until(`no error group left for ${args.receiver}`, async () => [(await group.count()) === 0, `${await group.count()} groups`]);
  log(`resent ${count}; the failure store holds none of ${args.receiver}'s`);

  await page.click('[data-testid="nav-overview"]');
  await until(`the overview: ${args.receiver} with nothing waiting`, async () => {
    const failed = await row.getAttribute('data-failed-now');
    const left = await textOf(row.locator('[data-testid="overview-waiting"]'));
    return [failed === '0' && left === '0', `failed now ${failed}, waiting ${left}`];
  });
  log(`overview: ${args.receiver} has nothing waiting`);
  await until(`the traffic chart: at least ${count} deliveries delivered in the window`, async () => {
    const delivered = Number(await traffic.getAttribute('data-delivered'));
    return [delivered >= Number(count), `chart: ${await traffic.getAttribute('aria-label')}`];
  });
  await page.locator('[data-testid="chart-figures"] summary').press('Enter');
  const figures = page.locator('[data-testid="chart-figures"] tbody tr');
  if ((await figures.count()) === 0 || !(await figures.first().isVisible())) {
    throw new StepFailed('the chart\'s figures are not shown on Enter');
  }
  log(`charts: ${await traffic.getAttribute('aria-label')}; ${await figures.count()} rows of figures`);
}

await runOnOnePage(args.screenshot, run, 'PASSED: failing receiver found on the overview, errors grouped, all resent in one action');
