// An operator at the message monitor, in a real headless Chromium: signs in on the login page,
// finds a blocked in-order queue, sees the messages held behind its head, resends the head and
// watches the queue drain.
// Driven by MonitorBrowserIT; exit code 0 when all of that is seen on the page, 1 (with the
// reason on stderr and a screenshot) otherwise, 2 for a wrong command line.
//
//   node blocked-queue.mjs --url=http://127.0.0.1:8080/courier/monitor/ --user=U --password=P \
//     --sender=S --queue=Q --receiver=R --held=id3,id4,id5 --screenshot=target/monitor.png [--timeout=60]
import { commandLine, log, openMonitorSignedIn, quoted, runOnOnePage, StepFailed, textOf, watch } from './script.mjs';

const args = commandLine('blocked-queue.mjs', ['url', 'user', 'password', 'sender', 'queue', 'receiver', 'held', 'screenshot']);
const held = args.held.split(',').filter((id) => id !== '');
const timeoutMs = Number(args.timeout || 60) * 1000;

async function run(page) {
  const until = watch(page, timeoutMs);
  await openMonitorSignedIn(page, until, args.url, args.user, args.password);
  await until('the monitor to start', async () => [true, '']);
  await page.click('[data-testid="nav-queues"]');
  await page.selectOption('[data-testid="queue-state-filter"]', 'BLOCKED');
  await page.click('[data-testid="queue-refresh"]');

  const row = page.locator(`tr[data-testid="queue-row"][data-sender=${quoted(args.sender)}][data-queue-id=${quoted(args.queue)}]`);
  await until(`queue ${args.sender}/${args.queue} in the BLOCKED list`, async () => {
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
  await until(`the lane to ${args.receiver} BLOCKED with ${held.length} held: ${held.join(', ')}`, async () => {
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

  await until(`the lane to ${args.receiver} to drain (IDLE, nothing held)`, async () => {
    const state = await textOf(laneState);
    const count = await textOf(heldCount);
    const listed = await heldIds.count();
    return [state === 'IDLE' && count === '0' && listed === 0, `state ${state}, held count ${count}, ${listed} listed`];
  });
  log(`lane to ${args.receiver} drained`);
}

await runOnOnePage(args.screenshot, run, 'PASSED: blocked queue found, held messages seen, head resent, queue drained');
