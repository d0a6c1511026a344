// The one way the UI talks to Lectern: fetch with the session cookie, problem+json turned into ApiError.
import { h } from './dom.js';

export class ApiError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || 'Request failed');
    this.problem = problem;
    this.status = problem.status;
  }
}

let onSignedOut = () => {};
export function whenSignedOut(callback) {
  onSignedOut = callback;
}

/**
 * body: an object (sent as JSON), a string or File (sent as `type`, default text/plain), or undefined.
 * Answers the parsed JSON, the text for other content types, or null for 204.
 */
export async function api(method, path, body, type, accept = 'application/json') {
  const options = { method, headers: { Accept: accept }, credentials: 'same-origin' };
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Blob) {
      options.headers['Content-Type'] = type || 'text/plain';
      options.body = body;
    } else {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (e) {
    throw new ApiError({ title: 'Network error', status: 0, detail: 'Lectern did not answer; is the server running?' });
  }
  if (!response.ok) {
    let problem;
    try {
      problem = await response.json();
    } catch (e) {
      problem = { title: response.statusText || 'Error', status: response.status };
    }
    problem.status = problem.status || response.status;
    if (response.status === 401 && !path.startsWith('/api/auth/session')) onSignedOut();
    throw new ApiError(problem);
  }
  if (response.status === 204) return null;
  const contentType = response.headers.get('Content-Type') || '';
  return contentType.includes('json') ? response.json() : response.text();
}

export const get = (path) => api('GET', path);
export const getText = (path, accept) => api('GET', path, undefined, undefined, accept);
export const post = (path, body, type) => api('POST', path, body, type);
export const put = (path, body, type) => api('PUT', path, body, type);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);

/** Removes the messages a previous submit left in the form. */
export function clearErrors(form) {
  form.querySelectorAll('.field-error, .form-error').forEach((el) => el.remove());
  form.querySelectorAll('[aria-invalid]').forEach((el) => {
    el.removeAttribute('aria-invalid');
    const described = (el.getAttribute('aria-describedby') || '').split(' ').filter((id) => !id.endsWith('-error'));
    if (described.length) el.setAttribute('aria-describedby', described.join(' '));
    else el.removeAttribute('aria-describedby');
  });
}

/**
 * Shows an API problem in the form: each errors[].field next to the control with that name
 * ("authors[0]" finds "authors"), the rest as one message at the top. Focuses the first bad control.
 */
export function showProblem(form, error) {
  clearErrors(form);
  const problem = error instanceof ApiError ? error.problem : { detail: String(error.message || error) };
  const leftOver = [];
  let first = null;
  for (const err of problem.errors || []) {
    const name = String(err.field || '').split(/[.[]/)[0];
    const control = name && form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (!control) {
      leftOver.push((err.field ? err.field + ': ' : '') + err.message);
      continue;
    }
    const id = (control.id || control.name) + '-error';
    if (!form.querySelector('#' + CSS.escape(id))) {
      const message = h('p', { class: 'field-error', id }, err.message);
      (control.closest('.field') || control.parentElement).append(message);
    }
    control.setAttribute('aria-invalid', 'true');
    const described = (control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    if (!described.includes(id)) control.setAttribute('aria-describedby', [...described, id].join(' '));
    first = first || control;
  }
  if (leftOver.length || !first) {
    const text = leftOver.length ? leftOver.join('; ') : problem.detail || problem.title || 'Something went wrong';
    form.prepend(h('p', { class: 'form-error', role: 'alert' }, text));
  }
  if (first) first.focus();
}

/** Wires a form: on submit, runs action(values) with the button disabled; problems land next to their fields. */
export function onSubmit(form, action) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    clearErrors(form);
    try {
      await action(Object.fromEntries(new FormData(form)));
    } catch (e) {
      showProblem(form, e);
    } finally {
      if (button) button.disabled = false;
    }
  });
  return form;
}

/** A problem shown in place of a section that could not load. */
export function problemBox(error) {
  const problem = error instanceof ApiError ? error.problem : { detail: String(error) };
  return h('p', { class: 'form-error', role: 'alert' }, problem.detail || problem.title);
}
