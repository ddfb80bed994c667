// An operator at the message monitor, in a real headless Chromium: signs in on the login page,
// opens the Receivers view, finds a receiver in MAINTENANCE with its channel (protocol, and address as
// its title) and brings it back.
// Driven by ReceiverHealthAdminIT; exit code 0 when all of that is seen on the page, 1 (with the
// reason on stderr and a screenshot) otherwise, 2 for a wrong command line.
//
//   node receivers.mjs --url=http://127.0.0.1:8080/courier/monitor/ --user=U --password=P \
//     --receiver=R --channel='plain http://host:port/path' --screenshot=target/receivers.png [--timeout=60]
import { commandLine, log, openMonitorSignedIn, runOnOnePage, StepFailed, textOf, watch } from './script.mjs';

const args = commandLine('receivers.mjs', ['url', 'user', 'password', 'receiver', 'channel', 'screenshot']);
const timeoutMs = Number(args.timeout || 60) * 1000;

async function run(page) {
  const until = watch(page, timeoutMs);
  await openMonitorSignedIn(page, until, args.url, args.user, args.password);
  await page.click('[data-testid="nav-receivers"]');

  const row = page.locator(`tr[data-testid="receiver-row"][data-receiver=${JSON.stringify(args.receiver)}]`);
  const state = row.locator('[data-testid="receiver-state"]');
  await until(`receiver ${args.receiver} listed in MAINTENANCE`, async () => {
    const rows = await page.locator('tr[data-testid="receiver-row"]').count();
    const shown = await textOf(state);
    return [shown === 'MAINTENANCE' && (await row.getAttribute('data-state')) === 'MAINTENANCE',
      `${rows} receiver rows, ${args.receiver} shown as ${shown}`];
  });
  if ((await row.locator('[data-testid="receiver-maintenance"]').count()) !== 0) {
    throw new StepFailed('a receiver in maintenance is offered to be taken out again');
  }
  const channel = row.locator('[data-testid="receiver-channel"]');
  const shownChannel = `${await textOf(channel)} ${await channel.getAttribute('title')}`;
  if (shownChannel !== args.channel) {
    throw new StepFailed(`the channel of ${args.receiver} is shown as "${shownChannel}", not "${args.channel}"`);
  }
  log(`${args.receiver} (${shownChannel}) is in MAINTENANCE, changed by ${await textOf(row.locator('td').nth(7))}`);

  await row.locator('[data-testid="receiver-resume"]').click();
  log('clicked Bring back');
  await until(`receiver ${args.receiver} UP again`, async () => {
    const shown = await textOf(state);
    return [shown === 'UP' && (await row.locator('[data-testid="receiver-resume"]').count()) === 0,
      `${args.receiver} shown as ${shown}`];
  });
  log(`${args.receiver} is UP`);
}

await runOnOnePage(args.screenshot, run, 'PASSED: receiver in maintenance listed and brought back');
