// The login page: says why the operator is here. WildFly shows this page for every request without
// a session, and again (at .../j_security_check) after a wrong user name or password.

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
