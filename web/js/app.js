// The app shell: who is signed in, the hash router, and the sign-in page.
import { h, clear, field } from './dom.js';
import { post, del, get, onSubmit, whenSignedOut } from './api.js';
import { dashboardPage } from './dashboard.js';
import { booksPage, bookPage } from './books.js';
import { papersPage, paperPage } from './papers.js';
import { logPage } from './log.js';
import { transferPage } from './transfer.js';
import { modelPage } from './model.js';

// Only a hint for which page to show first; the HttpOnly cookie is the real session.
const SIGNED_IN = 'lectern.user';

const routes = [
  [/^\/$/, dashboardPage, 'Dashboard'],
  [/^\/books$/, booksPage, 'Books'],
  [/^\/books\/(\d+)$/, bookPage, 'Book'],
  [/^\/papers$/, papersPage, 'Papers'],
  [/^\/papers\/(\d+)$/, paperPage, 'Paper'],
  [/^\/log$/, logPage, 'Daily log'],
  [/^\/log\/(\d{4}-\d{2}-\d{2})$/, logPage, 'Daily log'],
  [/^\/model$/, modelPage, 'Model'],
  [/^\/transfer$/, transferPage, 'Import/export'],
];

const main = document.getElementById('main');

function signedInAs(username) {
  if (username) localStorage.setItem(SIGNED_IN, username);
  else localStorage.removeItem(SIGNED_IN);
  document.getElementById('nav').hidden = !username;
  document.getElementById('account').hidden = !username;
  document.getElementById('who').textContent = username ? 'Signed in as ' + username : '';
}

function path() {
  return location.hash.replace(/^#/, '') || '/';
}

async function route() {
  const username = localStorage.getItem(SIGNED_IN);
  const current = path();
  if (!username) {
    signedInAs(null);
    show(signInPage, 'Sign in', []);
    return;
  }
  signedInAs(username);
  for (const [pattern, page, title] of routes) {
    const match = current.match(pattern);
    if (match) {
      show(page, title, match.slice(1));
      markNav(current);
      return;
    }
  }
  show((root) => root.append(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Go to the dashboard'))), 'Not found', []);
}

function markNav(current) {
  for (const link of document.querySelectorAll('#nav a')) {
    const target = link.getAttribute('href').slice(1);
    const active = target === '/' ? current === '/' : current.startsWith(target);
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

let firstRender = true;
function show(page, title, params) {
  document.title = title + ' · Lectern';
  const root = h('div', { class: 'page' });
  clear(main).append(root);
  // Move focus for keyboard and screen-reader users when the page changes, not on the first load.
  if (!firstRender) main.focus();
  firstRender = false;
  render(page, params, root);
}

/** Runs a page into root. A page asks to be drawn again with new data by dispatching 'refresh' (detail: what to focus). */
function render(page, params, root) {
  root.addEventListener('refresh', (event) => {
    const fresh = h('div', { class: 'page' });
    root.replaceWith(fresh);
    render(page, params, fresh).then(() => {
      const target = event.detail && fresh.querySelector(event.detail);
      if (target) target.focus();
    });
  }, { once: true });
  return Promise.resolve(page(root, ...params)).catch((e) => {
    console.warn(e);
    root.append(h('p', { class: 'form-error', role: 'alert' }, e.message || String(e)));
  });
}

function signInPage(root) {
  let mode = 'signin';
  const heading = h('h1', {}, 'Sign in');
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const toggle = h('button', { type: 'button', class: 'link' }, 'New here? Create an account');
  const form = h('form', { class: 'card narrow', novalidate: true },
    field('Username', username), field('Password', password, null), submit);
  toggle.addEventListener('click', () => {
    mode = mode === 'signin' ? 'signup' : 'signin';
    heading.textContent = mode === 'signin' ? 'Sign in' : 'Create an account';
    submit.textContent = mode === 'signin' ? 'Sign in' : 'Create account';
    toggle.textContent = mode === 'signin' ? 'New here? Create an account' : 'Have an account? Sign in';
    password.autocomplete = mode === 'signin' ? 'current-password' : 'new-password';
    username.focus();
  });
  onSubmit(form, async (values) => {
    if (mode === 'signup') await post('/api/auth/signup', values);
    const user = await post('/api/auth/session', values);
    signedInAs(user.username);
    if (path() === '/') route();
    else location.hash = '#/';
  });
  root.append(h('section', { class: 'signin' }, heading, form, h('p', {}, toggle)));
  username.focus();
}

document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await del('/api/auth/session');
  } catch (e) {
    // Already signed out on the server: the page still forgets the user.
  }
  signedInAs(null);
  location.hash = '#/';
  route();
});

whenSignedOut(() => {
  if (localStorage.getItem(SIGNED_IN)) {
    signedInAs(null);
    route();
  }
});

window.addEventListener('hashchange', route);
route();
// A stale hint (the session expired) shows the sign-in page after this check answers 401.
if (localStorage.getItem(SIGNED_IN)) get('/api/auth/me').then((me) => signedInAs(me.username)).catch(() => {});
