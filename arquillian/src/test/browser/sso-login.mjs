// An operator signs in to the message monitor through the company's single sign-on (OpenID
// Connect), in a real headless Chromium: the monitor sends the browser to the provider's own login
// page, the operator signs in there, the provider sends the browser back, and then either the monitor
// shows the operator (--expect=monitor) or WildFly refuses a user without a monitor role
// (--expect=refused: HTTP 403). With --expect=monitor the operator then signs out: the login page
// offers single sign-on instead of Courier's form, and its link leads to the provider's login page
// again (signing out of the monitor ended the provider's session too).
// Driven by OidcLoginIT; exit code 0 when that is what happens, 1 (with the reason on stderr and a
// screenshot) otherwise, 2 for a wrong command line. With --expect=monitor the last line of the output
// is "me: " and the monitor's GET api/me as the page's own session sees it (JSON).
//
//   node sso-login.mjs --url=http://127.0.0.1:8080/courier/monitor/ --provider=http://localhost:18190/realms/courier \
//     --user=U --password=P --expect=monitor|refused --screenshot=target/sso.png [--timeout=60]
//
// The provider's login page is Keycloak's (fields #username, #password, button #kc-login).
import { commandLine, log, runOnOnePage, StepFailed, textOf, watch } from './script.mjs';

const args = commandLine('sso-login.mjs', ['url', 'provider', 'user', 'password', 'expect', 'screenshot'],
  (given) => (['monitor', 'refused'].includes(given.expect) ? null : `--expect=${given.expect}: monitor or refused`));
const timeoutMs = Number(args.timeout || 60) * 1000;

/**
 * The monitor sends a browser without a session to the provider's login page (`start` opens the
 * monitor): no login page of Courier's. Answers the monitor's answer once the provider sent the browser back.
 */
async function signInAtProvider(page, until, start) {
  await start();
  await until(`the provider's login page at ${args.provider}`, async () => [
    page.url().startsWith(`${args.provider}/`) && (await page.locator('#username').count()) === 1, `at ${page.url()}`]);
  log(`at the provider's login page ${new URL(page.url()).pathname}`);
  await page.fill('#username', args.user);
  await page.fill('#password', args.password);
  const back = page.waitForResponse((response) => response.url().startsWith(args.url)
    && response.request().isNavigationRequest() && response.status() !== 302);
  await page.click('#kc-login');
  return back;
}

async function expectMonitor(page, until) {
  await until(`the monitor, signed in as ${args.user}`, async () => {
    const user = await textOf(page.locator('[data-testid="account-user"]'));
    return [user === args.user, `signed in as ${user} at ${page.url()}`];
  });
  log(`the monitor shows ${args.user} at ${page.url()}`);
  const me = await page.evaluate(async () => {
    const response = await fetch('api/me', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    return { status: response.status, body: await response.text() };
  });
  if (me.status !== 200) throw new StepFailed(`api/me answered ${me.status}: ${me.body}`);
  return me.body;
}

/** Sign out: the login page has a single sign-on link and no form; the provider asks for the password again. */
async function signOutAndBackIn(page, until) {
  await page.click('[data-testid="sign-out"]');
  const sso = page.locator('[data-testid="login-sso"]');
  await until('the login page with its single sign-on link', async () => {
    const shown = await sso.isVisible();
    const form = await page.locator('[data-testid="login-form"]').isVisible();
    return [shown && !form, `at ${page.url()}: sso link ${shown ? 'shown' : 'hidden'}, form ${form ? 'shown' : 'hidden'}`];
  });
  const notice = await textOf(page.locator('[data-testid="login-notice"]'));
  if (!notice.includes('signed out')) throw new StepFailed(`the login page says "${notice}", not that the operator signed out`);
  log(`signed out: "${notice}"`);
  const landing = await signInAtProvider(page, until, () => page.click('[data-testid="login-sso-link"]'));
  if (!landing.ok()) throw new StepFailed(`the monitor answered ${landing.status()} after signing in again`);
  await until(`the monitor again, signed in as ${args.user}`, async () => {
    const user = await textOf(page.locator('[data-testid="account-user"]'));
    return [user === args.user, `signed in as ${user} at ${page.url()}`];
  });
  log(`signed in again at the provider (its session had ended with the monitor's)`);
}

async function run(page) {
  const until = watch(page, timeoutMs);
  const landing = await signInAtProvider(page, until, async () => {
    log(`opening ${args.url}`);
    await page.goto(args.url, { waitUntil: 'load' });
  });
  log(`back at ${landing.url()}: HTTP ${landing.status()}`);
  if (args.expect === 'refused') {
    if (landing.status() !== 403) throw new StepFailed(`expected HTTP 403 for ${args.user}, got ${landing.status()}`);
    log(`${args.user} is refused (403)`);
    return;
  }
  if (!landing.ok()) throw new StepFailed(`the monitor answered ${landing.status()} after the sign-in`);
  const me = await expectMonitor(page, until);
  await signOutAndBackIn(page, until);
  console.log(`me: ${me}`);
}

await runOnOnePage(args.screenshot, run,
  `PASSED: ${args.user} signed in at the provider and was ${args.expect === 'monitor' ? 'shown the monitor' : 'refused'}`);
