// The console's shared script. Pages are server-rendered HTML; this adds requests in place, busy buttons, inline
// field errors and confirmations, and each page's own script (loaded after this one) registers its actions here.
// Files rather than inline code because the CSP allows scripts from our origin only.
(function () {
  'use strict';

  const dataBlock = document.getElementById('console-data');
  const data = dataBlock ? JSON.parse(dataBlock.textContent) : { locale: 'zh-CN', strings: {}, common: {}, page: {} };
  const strings = data.strings;

  const FAILURE_BY_STATUS = { 400: 'invalid', 401: 'signedOut', 403: 'forbidden', 404: 'notFound', 409: 'conflict' };
  // A union body makes Ajv report every branch it tried. Our forms never send unknown fields or a wrong kind, so
  // these lines only describe the branches that were not meant.
  const NOISE = /^(unknown field|must be equal to constant|must match (a|exactly one) schema in (anyOf|oneOf))$/;

  class ApiError extends Error {
    constructor(message, status, code, errors) {
      super(message);
      this.status = status;
      this.code = code;
      this.errors = errors || [];
    }
  }

  async function api(method, url, body, headers) {
    let response;
    try {
      response = await fetch(url, {
        method,
        credentials: 'same-origin',
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(strings.network, 0);
    }
    if (response.ok) return response.status === 204 ? null : response.json();
    const problem = await response.json().catch(() => ({}));
    const message = (problem.code && strings.codes[problem.code]) || strings[FAILURE_BY_STATUS[response.status] || 'failed'];
    throw new ApiError(message, response.status, problem.code, problem.errors);
  }

  const visible = (element) => !element.closest('[hidden]');

  function translate(message) {
    for (const [pattern, replacement] of strings.fieldMessages || []) {
      const regex = new RegExp(pattern);
      if (regex.test(message)) return message.replace(regex, replacement);
    }
    return message;
  }

  /** The input an error path names, or the nearest one above it (`/tiers/2/threshold` → `/tiers`). */
  function fieldFor(container, path) {
    const fields = [...container.querySelectorAll('[data-path]')].filter(visible);
    for (let current = path.replace(/^\/body/, ''); current; current = current.slice(0, current.lastIndexOf('/'))) {
      const field = fields.find((candidate) => candidate.dataset.path === current);
      if (field) return field;
    }
    return null;
  }

  function markField(field, message) {
    field.setAttribute('aria-invalid', 'true');
    const holder = field.closest('.field') || field.parentElement;
    if (holder.querySelector(':scope > .field-error')) return;
    const line = document.createElement('span');
    line.className = 'field-error';
    line.textContent = message;
    holder.append(line);
  }

  function clearFieldErrors(container) {
    for (const line of container.querySelectorAll('.field-error')) line.remove();
    for (const field of container.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
  }

  /** Puts each error beside its input; returns the errors no input claimed. */
  function showFieldErrors(container, errors) {
    const unplaced = [];
    for (const error of errors) {
      if (NOISE.test(error.message)) continue;
      const field = fieldFor(container, error.path);
      if (field) markField(field, translate(error.message));
      else unplaced.push(error);
    }
    return unplaced;
  }

  function missingRequired(form) {
    let missing = 0;
    for (const field of form.querySelectorAll('[required]')) {
      if (visible(field) && !field.value.trim()) {
        markField(field, strings.required);
        missing++;
      }
    }
    return missing;
  }

  function valueOf(field, blank) {
    const type = field.dataset.type || 'string';
    if (type === 'boolean') return field.checked;
    const raw = field.value.trim();
    if (raw === '') return 'optional' in field.dataset ? (blank === 'null' ? null : undefined) : type === 'string' ? '' : undefined;
    if (type === 'string') return raw;
    if (type === 'list') return raw.split(/[,，、\n]/).map((item) => item.trim()).filter(Boolean);
    if (type === 'numbers') return raw.split(/[,，、\s]+/).filter(Boolean).map(Number);
    if (type === 'datetime') return new Date(raw).toISOString();
    const number = Number(raw);
    return field.dataset.scale ? Math.round(number * Number(field.dataset.scale)) : number;
  }

  /**
   * A request body from the visible inputs that carry `data-path` (a JSON pointer into the body) and `data-type`.
   * Blank optional inputs are left out, or sent as null when `blank` is 'null' (a change that clears the field).
   */
  function readPaths(container, options = {}) {
    const body = {};
    for (const field of container.querySelectorAll('input[data-path], select[data-path], textarea[data-path]')) {
      if (!visible(field)) continue;
      const value = valueOf(field, options.blank);
      if (value === undefined) continue;
      const keys = field.dataset.path.split('/').slice(1);
      let node = body;
      keys.forEach((key, index) => {
        if (index === keys.length - 1) node[key] = value;
        else node = node[key] ??= /^\d+$/.test(keys[index + 1]) ? [] : {};
      });
    }
    return body;
  }

  function lineIn(button, selector) {
    const form = button.closest('form');
    return (form && form.querySelector(selector)) || button.closest('[data-section]')?.querySelector(selector) || null;
  }

  /** Runs a request with the button showing it is busy; a failure shows beside the fields and in the form's error line. */
  async function busy(button, action) {
    const errorLine = lineIn(button, '.form-error');
    const successLine = lineIn(button, '.form-success');
    const label = button.textContent;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = strings.working;
    if (errorLine) errorLine.hidden = true;
    if (successLine) successLine.hidden = true;
    try {
      await action();
    } catch (error) {
      // A fault in the script itself is logged for the developer, not shown to the operator as if the server refused.
      if (!(error instanceof ApiError)) console.error(error);
      const form = button.closest('form');
      const errors = (error.errors || []).filter((item) => !NOISE.test(item.message));
      const unplaced = form ? showFieldErrors(form, errors) : errors;
      const detail = unplaced[0] ? ` (${unplaced[0].path.replace(/^\/body\//, '')}: ${translate(unplaced[0].message)})` : '';
      if (errorLine) {
        const message = error instanceof ApiError ? error.message : strings.failed;
        errorLine.textContent = errors.length && !unplaced.length ? strings.fixFields : message + detail;
        errorLine.hidden = false;
      }
    } finally {
      if (button.isConnected) {
        button.disabled = false;
        button.removeAttribute('aria-busy');
        button.textContent = label;
      }
    }
  }

  function say(form, text) {
    const line = form.querySelector('.form-success');
    if (!line) return;
    line.textContent = text;
    line.hidden = false;
  }

  /** The layout's <dialog>; resolves true when the person confirms. */
  function confirmAction(message) {
    const dialog = document.getElementById('confirm-dialog');
    dialog.querySelector('[data-field="message"]').textContent = message;
    dialog.returnValue = '';
    dialog.showModal();
    return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true }));
  }

  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));

  /** Formats dates as format-date-time.util.ts does on the server, in the brand's time zone. */
  function dateFormatter(timeZone) {
    const format = new Intl.DateTimeFormat(data.locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' });
    return (iso) => (iso ? format.format(new Date(iso)) : '');
  }

  function setFields(root, fields) {
    for (const [name, value] of Object.entries(fields)) {
      for (const element of root.querySelectorAll('[data-field="' + name + '"]')) element.textContent = value;
    }
  }

  function fromTemplate(id, fields = {}) {
    const node = document.getElementById(id).content.firstElementChild.cloneNode(true);
    setFields(node, fields);
    return node;
  }

  /** Shows a list's "nothing yet" line exactly when the list is empty. */
  function syncEmpty(list) {
    const note = document.querySelector('[data-empty-for="' + list.id + '"]');
    if (note) note.hidden = list.children.length > 0;
  }

  const submitActions = {};
  const clickActions = {};

  document.addEventListener('submit', (event) => {
    const form = event.target.closest('form[data-action]');
    const action = form && submitActions[form.dataset.action];
    if (!action) return;
    event.preventDefault();
    const button = event.submitter || form.querySelector('[type="submit"]');
    if (button.disabled) return;
    busy(button, async () => {
      clearFieldErrors(form);
      if (missingRequired(form)) throw new ApiError(strings.fixFields, 0);
      await action(form, button);
    });
  });

  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-click]');
    const action = button && clickActions[button.dataset.click];
    if (!action || button.disabled) return;
    if (action.quiet) return action.run(button);
    if (button.dataset.confirm && !(await confirmAction(button.dataset.confirm))) return;
    busy(button, () => action.run(button));
  });

  // A save that reloaded the page says so once; the notice should not come back on the next reload.
  const url = new URL(location.href);
  if (url.searchParams.has('notice')) {
    url.searchParams.delete('notice');
    history.replaceState(null, '', url.pathname + url.search);
  }

  window.SiyuConsole = {
    data,
    strings,
    api,
    busy,
    say,
    fill,
    readPaths,
    setFields,
    fromTemplate,
    syncEmpty,
    dateFormatter,
    clearFieldErrors,
    /** An error to throw from an action when the input is wrong: shown as it is, not as a fault. */
    refuse: (message) => new ApiError(message, 0),
    onSubmit: (name, run) => (submitActions[name] = run),
    /** `quiet` actions change the page only (no request), so the button is not made busy. */
    onClick: (name, run, options = {}) => (clickActions[name] = { run, quiet: Boolean(options.quiet) }),
  };
})();
