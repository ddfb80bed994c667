// An operator traces a message that went out in an aggregate, in a real headless Chromium: opens
// the member's detail, follows "member of aggregate" to the aggregate's detail, and finds the
// member among the aggregate's members.
// Driven by MonitorBrowserIT; exit code 0 when all of that is seen on the page, 1 (with the reason
// on stderr and a screenshot) otherwise, 2 for a wrong command line.
//
//   node aggregate-detail.mjs --url=http://127.0.0.1:8080/courier/monitor/ --user=U --password=P \
//     --sender=S --message=M --aggregator=A --aggregate=ID --members=10 --screenshot=target/aggregate.png
import { commandLine, log, openMonitorSignedIn, runOnOnePage, StepFailed, textOf, watch } from './script.mjs';

const args = commandLine('aggregate-detail.mjs',
  ['url', 'user', 'password', 'sender', 'message', 'aggregator', 'aggregate', 'members', 'screenshot'],
  (a) => (/^\d+$/.test(a.members || '') ? null : '--members must be a whole number'));
const timeoutMs = Number(args.timeout || 60) * 1000;

async function run(page) {
  const until = watch(page, timeoutMs);
  await openMonitorSignedIn(page, until, args.url, args.user, args.password);
  // a link to a message, as an operator would paste or bookmark it
  await page.evaluate((hash) => { window.location.hash = hash; },
    `messages?${new URLSearchParams({ sender: args.sender, messageId: args.message })}`);

  const detail = page.locator('[data-testid="message-detail"]');
  const toAggregate = detail.locator('[data-testid="message-aggregate"]');
  const aggregate = `${args.aggregator}/${args.aggregate}`;
  await until(`the member's detail naming aggregate ${aggregate}`, async () => {
    const shown = (await toAggregate.count()) === 1 ? await textOf(toAggregate) : '(none)';
    return [shown === aggregate, `aggregate shown: ${shown}`];
  });
  log(`${args.sender}/${args.message} is a member of ${aggregate}`);
  await toAggregate.focus();
  await page.keyboard.press('Enter');

  const members = detail.locator('[data-testid="message-member"]');
  await until(`the aggregate's detail with ${args.members} members, ${args.sender}/${args.message} among them`, async () => {
    const heading = await textOf(detail.locator('h2'));
    const listed = await members.allTextContents();
    return [heading.includes(args.aggregate) && listed.length === Number(args.members)
      && listed.includes(`${args.sender}/${args.message}`), `${heading}; ${listed.length} members listed`];
  });
  if ((await detail.locator('[data-testid="message-delivery"]').count()) === 0) {
    throw new StepFailed('the aggregate shows no delivery');
  }
  log(`the aggregate lists ${args.members} members`);
}

await runOnOnePage(args.screenshot, run, 'PASSED: from a member to its aggregate and back to its members');
