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
// Chromium is Debian's /usr/bin/chromium unless CHROMIUM names another.
import { chromium } from 'playwright-core';

const args = Object.fromEntries(process.argv.slice(2).map((arg) => {
  const match = /^--([^=]+)=(.*)$/s.exec(arg);
  if (!match) usage(`not --name=value: ${arg}`);
  return [match[1], match[2]];
}));
for (const required of ['url', 'provider', 'user', 'password', 'expect', 'screenshot']) {
  if (!args[required]) usage(`--${required} is missing`);
}
if (!['monitor', 'refused'].includes(args.expect)) usage(`--expect=${args.expect}: monitor or refused`);
const timeoutMs = Number(args.timeout || 60) * 1000;
const deadline = Date.now() + timeoutMs;

function usage(problem) {
  console.error(`sso-login.mjs: ${problem}`);
  process.exit(2);
}

function log(message) {
  console.log(`${new Date().toISOString()} ${message}`);
}

class StepFailed extends Error {}

const pageErrors = [];

/** Polls `probe` until it returns a truthy value or the run's deadline passes; says what was last seen. */
async function until(page, what, probe) {
  let last = '';
  while (Date.now() < deadline) {
    if (pageErrors.length) throw new StepFailed(`the page's script failed: ${pageErrors.join(' | ')}`);
    let ok;
    try {
      [ok, last] = await probe();
    } catch (e) {
      last = `${e.message} (while the page changed)`;
    }
    if (ok) return;
    await page.waitForTimeout(200);
  }
  throw new StepFailed(`gave up after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${last}`);
}

async function textOf(locator) {
  return (await locator.count()) ? (await locator.first().textContent()).trim() : '(absent)';
}

/**
 * The monitor sends a browser without a session to the provider's login page (`start` opens the
 * monitor): no login page of Courier's. Answers the monitor's answer once the provider sent the browser back.
 */
async function signInAtProvider(page, start) {
  await start();
  await until(page, `the provider's login page at ${args.provider}`, async () => [
    page.url().startsWith(`${args.provider}/`) && (await page.locator('#username').count()) === 1, `at ${page.url()}`]);
  log(`at the provider's login page ${new URL(page.url()).pathname}`);
  await page.fill('#username', args.user);
  await page.fill('#password', args.password);
  const back = page.waitForResponse((response) => response.url().startsWith(args.url)
    && response.request().isNavigationRequest() && response.status() !== 302);
  await page.click('#kc-login');
  return back;
}

async function expectMonitor(page) {
  await until(page, `the monitor, signed in as ${args.user}`, async () => {
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
async function signOutAndBackIn(page) {
  await page.click('[data-testid="sign-out"]');
  const sso = page.locator('[data-testid="login-sso"]');
  await until(page, 'the login page with its single sign-on link', async () => {
    const shown = await sso.isVisible();
    const form = await page.locator('[data-testid="login-form"]').isVisible();
    return [shown && !form, `at ${page.url()}: sso link ${shown ? 'shown' : 'hidden'}, form ${form ? 'shown' : 'hidden'}`];
  });
  const notice = await textOf(page.locator('[data-testid="login-notice"]'));
  if (!notice.includes('signed out')) throw new StepFailed(`the login page says "${notice}", not that the operator signed out`);
  log(`signed out: "${notice}"`);
  const landing = await signInAtProvider(page, () => page.click('[data-testid="login-sso-link"]'));
  if (!landing.ok()) throw new StepFailed(`the monitor answered ${landing.status()} after signing in again`);
  await until(page, `the monitor again, signed in as ${args.user}`, async () => {
    const user = await textOf(page.locator('[data-testid="account-user"]'));
    return [user === args.user, `signed in as ${user} at ${page.url()}`];
  });
  log(`signed in again at the provider (its session had ended with the monitor's)`);
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
  const landing = await signInAtProvider(page, async () => {
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
  const me = await expectMonitor(page);
  await signOutAndBackIn(page);
  console.log(`me: ${me}`);
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
  log(`PASSED: ${args.user} signed in at the provider and was ${args.expect === 'monitor' ? 'shown the monitor' : 'refused'}`);
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
