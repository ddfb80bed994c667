// The login page: says why the operator is here. WildFly shows this page for every request without
// a session, and again (at .../j_security_check) after a wrong user name or password. When the
// company's single sign-on signs people in (GET sign-in says OIDC), the page offers a link to the
// monitor instead of its form: the monitor sends the browser on to the company's login page.

const notice = document.querySelector('[data-testid="login-notice"]');
const REASONS = {
  'by-you': ['info', 'You are signed out.'],
  idle: ['info', 'You were signed out after a while without activity. Sign in again.'],
  session: ['info', 'Your session has ended. Sign in again.'],
};

function show(kind, message) {
  const box = document.createElement('div');
  box.className = `notice ${kind}`;
  box.dataset.testid = kind === 'error' ? 'error' : 'info';
  box.textContent = message;
  notice.replaceChildren(box);
}

if (window.location.pathname.endsWith('j_security_check')) {
  show('error', 'Wrong user name or password, or this user may not use the monitor.');
} else {
  const reason = REASONS[new URLSearchParams(window.location.search).get('signed-out')];
  if (reason) show(...reason);
}
document.querySelector('[data-testid="login-user"]').focus();

async function signInMethod() {
  try {
    const response = await fetch('sign-in', { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    return response.ok ? (await response.json()).method : 'FORM';
  } catch (e) {
    return 'FORM';
  }
}

if ((await signInMethod()) === 'OIDC') {
  document.querySelector('[data-testid="login-form"]').hidden = true;
  const sso = document.querySelector('[data-testid="login-sso"]');
  sso.hidden = false;
  sso.querySelector('a').focus();
}
