// An operator at the message monitor, in a real headless Chromium: signs in, searches the Messages
// tab for one message, opens it and reads which node accepted it and which delivered it, sees its
// timeline drawn and its payload with a download; and reads in the header the version of the routing
// configuration in force.
// Driven by MonitorBrowserIT; exit code 0 when the detail names the expected node for both, 1 (with
// the reason on stderr and a screenshot) otherwise, 2 for a wrong command line.
//
//   node message-detail.mjs --url=http://127.0.0.1:8080/courier/monitor/ --user=U --password=P \
//     --sender=S --message=M --receiver=R --node=courier-1 --configuration=VERSION \
//     --screenshot=target/detail.png [--timeout=60]
import { commandLine, log, openMonitorSignedIn, quoted, runOnOnePage, textOf, watch } from './script.mjs';

const args = commandLine('message-detail.mjs',
  ['url', 'user', 'password', 'sender', 'message', 'receiver', 'node', 'configuration', 'screenshot']);
const timeoutMs = Number(args.timeout || 60) * 1000;

async function run(page) {
  const until = watch(page, timeoutMs);
  await openMonitorSignedIn(page, until, args.url, args.user, args.password);

  const version = page.locator('[data-testid="configuration-version"]');
  await until(`the header naming configuration ${args.configuration}`, async () => {
    const shown = await textOf(version);
    return [shown === `configuration ${args.configuration}`, `the header shows "${shown}"`];
  });
  log(`the header names configuration ${args.configuration}`);

  await page.click('[data-testid="nav-messages"]');
  const form = page.locator('[data-testid="message-search-form"]');
  await form.locator('input[name="sender"]').fill(args.sender);
  await form.locator('input[name="messageId"]').fill(args.message);
  await page.click('[data-testid="message-search"]');

  const row = page.locator(`tr[data-testid="message-row"][data-message-id=${quoted(args.message)}]`);
  await until(`message ${args.message} in the search result`, async () => {
    const rows = await page.locator('tr[data-testid="message-row"]').count();
    return [(await row.count()) === 1, `${rows} message rows`];
  });
  await row.click();
  log(`opened message ${args.sender}/${args.message}`);

  const detail = page.locator('[data-testid="message-detail"]');
  const acceptedBy = detail.locator('[data-testid="accepted-by"]');
  const deliveredBy = detail.locator(`[data-testid="message-delivery"][data-receiver=${quoted(args.receiver)}]`
    + ' [data-testid="delivered-by"]');
  await until(`the detail: accepted by ${args.node}, delivered to ${args.receiver} by ${args.node}`, async () => {
    const accepted = await textOf(acceptedBy);
    const delivered = await textOf(deliveredBy);
    return [accepted === args.node && delivered === args.node, `accepted by ${accepted}, delivered by ${delivered}`];
  });
  log(`accepted by ${args.node} and delivered to ${args.receiver} by ${args.node}`);

  // the message's life drawn: accepted at the start, delivered to the receiver at the end of its row
  const drawn = detail.locator(`[data-testid="timeline"] g[data-receiver=${quoted(args.receiver)}]`);
  await until(`the timeline: accepted, then delivered to ${args.receiver}`, async () => {
    const accepted = await drawn.locator('[data-mark="accepted"]').count();
    const delivered = await drawn.locator('[data-mark="delivered"]').count();
    return [accepted === 1 && delivered === 1 && (await drawn.getAttribute('data-state')) === 'DELIVERED',
      `${accepted} accepted marks, ${delivered} delivered marks`];
  });
  log(`the timeline draws ${args.receiver}: accepted, delivered`);

  // the payload, indented, with a download
  await detail.locator('[data-testid="show-payload"]').click();
  const payload = detail.locator('[data-testid="payload-text"]');
  await until('the payload shown, with a download', async () => {
    const shown = await textOf(payload);
    const name = await detail.locator('[data-testid="payload-download"]').getAttribute('download').catch(() => null);
    return [shown.startsWith('<') && name !== null && name.endsWith('.xml'), `payload ${shown.slice(0, 60)}; download ${name}`];
  });
  log('the payload is shown with a download');
}

await runOnOnePage(args.screenshot, run, 'PASSED: the message detail names the node that accepted and the node that delivered it');
