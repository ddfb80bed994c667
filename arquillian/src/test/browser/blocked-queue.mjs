// An operator at the message monitor, in a real headless Chromium: signs in on the login page,
// finds a blocked in-order queue, sees the messages held behind its head, resends the head and
// watches the queue drain.
// Driven by MonitorBrowserIT; exit code 0 when all of that is seen on the page, 1 (with the
// reason on stderr and a screenshot) otherwise, 2 for a wrong command line.
//
//   node blocked-queue.mjs --url=http://127.0.0.1:8080/courier/monitor/ --user=U --password=P \
//     --sender=S --queue=Q --receiver=R --held=id3,id4,id5 --screenshot=target/monitor.png [--timeout=60]
//
// Chromium is Debian's /usr/bin/chromium unless CHROMIUM names another.
import { chromium } from 'playwright-core';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => {
  const match = /^--([^=]+)=(.*)$/s.exec(arg);
  if (!match) usage(`not --name=value: ${arg}`);
  return [match[1], match[2]];
}));
for (const required of ['url', 'user', 'password', 'sender', 'queue', 'receiver', 'held', 'screenshot']) {
  if (!args[required]) usage(`--${required} is missing`);
}
const held = args.held.split(',').filter((id) => id !== '');
const timeoutMs = Number(args.timeout || 60) * 1000;
const deadline = Date.now() + timeoutMs;

function usage(problem) {
  console.error(`blocked-queue.mjs: ${problem}`);
  process.exit(2);
}

function log(message) {
  console.log(`${new Date().toISOString()} ${message}`);
}

/** A CSS attribute value, quoted. */
function quoted(value) {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

class StepFailed extends Error {}

/** Script errors of the page: any one fails the run, the page is broken. */
const pageErrors = [];

/** Polls `probe` until it returns a truthy value or the run's deadline passes; says what was last seen. */
async function until(page, what, probe) {
  let last = '';
  while (Date.now() < deadline) {
    if (pageErrors.length) throw new StepFailed(`the page's script failed: ${pageErrors.join(' | ')}`);
    const errors = await page.locator('[data-testid="error"]').allTextContents();
    if (errors.length) throw new StepFailed(`the page shows an error while waiting for ${what}: ${errors.join(' | ')}`);
    const [ok, seen] = await probe();
    if (ok) return;
    last = seen;
    await page.waitForTimeout(200);
  }
  throw new StepFailed(`gave up after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${last}`);
}

async function textOf(locator) {
  return (await locator.count()) ? (await locator.first().textContent()).trim() : '(absent)';
}

/** The login page comes first (no session yet): sign in with the form, land on the monitor. */
async function signIn(page) {
  if ((await page.locator('[data-testid="login-form"]').count()) !== 1) {
    throw new StepFailed('no login page before the monitor');
  }
  await page.fill('[data-testid="login-user"]', args.user);
  await page.fill('[data-testid="login-password"]', args.password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('[data-testid="login-submit"]')]);
  await until(page, `the monitor, signed in as ${args.user}`, async () => {
    const user = await textOf(page.locator('[data-testid="account-user"]'));
    return [user === args.user, `signed in as ${user} at ${page.url()}`];
  });
  log(`signed in as ${args.user}`);
}

async function run(page) {
  page.on('dialog', (dialog) => {
    log(`unexpected dialog: ${dialog.message()}`);
    dialog.dismiss();
  });
  page.on('pageerror', (error) => {
    log(`page script error: ${error.message}`);
    pageErrors.push(error.message);
  });
  page.setDefaultTimeout(15000);

  log(`opening ${args.url}`);
  const response = await page.goto(args.url, { waitUntil: 'load' });
  if (!response || !response.ok()) {
    throw new StepFailed(`the monitor answered ${response ? response.status() : 'nothing'} at ${args.url}`);
  }
  await signIn(page);
  await until(page, 'the monitor to start', async () => [true, '']);
  await page.click('[data-testid="nav-queues"]');
  await page.selectOption('[data-testid="queue-state-filter"]', 'BLOCKED');
  await page.click('[data-testid="queue-refresh"]');

  const row = page.locator(`tr[data-testid="queue-row"][data-sender=${quoted(args.sender)}][data-queue-id=${quoted(args.queue)}]`);
  await until(page, `queue ${args.sender}/${args.queue} in the BLOCKED list`, async () => {
    const rows = await page.locator('tr[data-testid="queue-row"]').count();
    return [(await row.count()) === 1, `${rows} queue rows`];
  });
  if ((await row.getAttribute('data-blocked')) !== 'true') throw new StepFailed('the queue row is not marked blocked');
  log(`found blocked queue ${args.sender}/${args.queue}`);
  await row.click();

  const lane = page.locator(`[data-testid="queue-detail"] [data-testid="lane"][data-receiver=${quoted(args.receiver)}]`);
  const laneState = lane.locator('[data-testid="lane-state"]');
  const heldCount = lane.locator('[data-testid="lane-held-count"]');
  const heldIds = lane.locator('[data-testid="held-message"]');
  await until(page, `the lane to ${args.receiver} BLOCKED with ${held.length} held: ${held.join(', ')}`, async () => {
    const state = await textOf(laneState);
    const count = await textOf(heldCount);
    const ids = await heldIds.evaluateAll((items) => items.map((item) => item.dataset.messageId));
    return [state === 'BLOCKED' && count === String(held.length) && ids.join(',') === held.join(','),
      `state ${state}, held count ${count}, held ${ids.join(', ')}`];
  });
  log(`lane to ${args.receiver} is BLOCKED behind ${await textOf(lane.locator('[data-testid="lane-head"]'))}`
    + ` (${await textOf(lane.locator('[data-testid="lane-head-state"]'))}), holding ${held.length}`);

  await lane.locator('[data-testid="resend-head"]').click();
  log('clicked Resend head');

  await until(page, `the lane to ${args.receiver} to drain (IDLE, nothing held)`, async () => {
    const state = await textOf(laneState);
    const count = await textOf(heldCount);
    const listed = await heldIds.count();
    return [state === 'IDLE' && count === '0' && listed === 0, `state ${state}, held count ${count}, ${listed} listed`];
  });
  log(`lane to ${args.receiver} drained`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // root in CI containers: Chromium's sandbox needs user namespaces it may not have
  args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
});
let exitCode = 0;
const context = await browser.newContext();
const page = await context.newPage();
try {
  await run(page);
  log('PASSED: blocked queue found, held messages seen, head resent, queue drained');
} catch (e) {
  exitCode = 1;
  console.error(`FAILED: ${e instanceof StepFailed ? e.message : e.stack}`);
  try {
    await page.screenshot({ path: args.screenshot, fullPage: true });
    console.error(`screenshot: ${args.screenshot}`);
  } catch (shot) {
    console.error(`no screenshot: ${shot.message}`);
  }
} finally {
  await browser.close();
}
process.exit(exitCode);
