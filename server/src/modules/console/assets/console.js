// The console's only script: the pages work as plain HTML, this adds the in-place edits on the 360° page.
// It is a file rather than inline code because the CSP allows scripts from our origin only.
(function () {
  'use strict';

  const dataBlock = document.getElementById('console-data');
  const data = dataBlock ? JSON.parse(dataBlock.textContent) : { locale: 'zh-CN', strings: {}, interactions: {}, layers: {} };
  const strings = data.strings;
  const page = document.querySelector('[data-customer-id]');
  if (!page) return;

  const customerUrl = '/api/customers/' + encodeURIComponent(page.dataset.customerId);
  const dateFormat = new Intl.DateTimeFormat(data.locale, { timeZone: page.dataset.timeZone, dateStyle: 'medium', timeStyle: 'short' });
  const formatDate = (iso) => (iso ? dateFormat.format(new Date(iso)) : '');

  const FAILURE_BY_STATUS = { 400: 'invalid', 401: 'signedOut', 403: 'forbidden' };

  async function api(method, url, body) {
    let response;
    try {
      response = await fetch(url, {
        method,
        credentials: 'same-origin',
        headers: body ? { 'content-type': 'application/json', accept: 'application/json' } : { accept: 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch {
      throw new Error(strings.network);
    }
    if (!response.ok) throw new Error(strings[FAILURE_BY_STATUS[response.status] || 'failed']);
    return response.status === 204 ? null : response.json();
  }

  /** Runs a request with the button showing it is busy; a failure shows in the section's error line. */
  async function busy(button, action) {
    const errorLine = button.closest('[data-section]').querySelector('.form-error');
    const label = button.textContent;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = strings.working;
    errorLine.hidden = true;
    try {
      await action();
    } catch (error) {
      errorLine.textContent = error.message;
      errorLine.hidden = false;
    } finally {
      if (button.isConnected) {
        button.disabled = false;
        button.removeAttribute('aria-busy');
        button.textContent = label;
      }
    }
  }

  function fromTemplate(id, fields) {
    const node = document.getElementById(id).content.firstElementChild.cloneNode(true);
    for (const [name, value] of Object.entries(fields)) {
      for (const element of node.querySelectorAll('[data-field="' + name + '"]')) element.textContent = value;
    }
    return node;
  }

  /** Shows a list's "nothing yet" line exactly when the list is empty. */
  function syncEmpty(list) {
    const note = document.querySelector('[data-empty-for="' + list.id + '"]');
    if (note) note.hidden = list.children.length > 0;
  }

  /** Mirrors timelineText() in customer-360.view.ts. */
  function timelineText(item) {
    const from = item.data && item.data.from;
    const to = item.data && item.data.to;
    if (item.type === 'layer_changed' && from && to) return (data.layers[from] || from) + ' → ' + (data.layers[to] || to);
    return item.summary || '';
  }

  const submitActions = {
    async 'add-tag'(form) {
      const tag = form.elements.tag.value.trim();
      if (!tag) return;
      await api('POST', customerUrl + '/tags', { tags: [tag] });
      const list = document.getElementById('tag-list');
      if (![...list.children].some((chip) => chip.dataset.tag === tag)) {
        const chip = fromTemplate('tag-chip-template', { tag });
        chip.dataset.tag = tag;
        list.append(chip);
      }
      syncEmpty(list);
      form.reset();
    },

    async 'add-note'(form) {
      const body = form.elements.body.value.trim();
      if (!body) return;
      const note = await api('POST', customerUrl + '/notes', { body });
      const list = document.getElementById('note-list');
      list.prepend(fromTemplate('note-template', { body: note.body, author: note.authorName, at: formatDate(note.createdAt) }));
      syncEmpty(list);
      form.reset();
    },

    async 'add-reminder'(form) {
      const title = form.elements.title.value.trim();
      const due = new Date(form.elements.dueAt.value);
      if (!title || Number.isNaN(due.getTime())) throw new Error(strings.invalid);
      const reminder = await api('POST', customerUrl + '/reminders', { title, dueAt: due.toISOString() });
      const item = fromTemplate('reminder-template', { title: reminder.title, due: formatDate(reminder.dueAt) });
      item.dataset.reminderId = reminder.id;
      const list = document.getElementById('reminder-list');
      list.prepend(item);
      syncEmpty(list);
      form.reset();
    },
  };

  const clickActions = {
    async 'remove-tag'(button) {
      const chip = button.closest('[data-tag]');
      await api('DELETE', customerUrl + '/tags', { tags: [chip.dataset.tag] });
      const list = chip.parentElement;
      chip.remove();
      syncEmpty(list);
    },

    async 'reminder-done'(button) {
      const item = button.closest('[data-reminder-id]');
      await api('POST', customerUrl + '/reminders/' + encodeURIComponent(item.dataset.reminderId) + '/done');
      const badge = document.createElement('span');
      badge.className = 'badge done-badge';
      badge.textContent = button.dataset.doneLabel;
      item.classList.remove('overdue');
      item.classList.add('done');
      button.replaceWith(badge);
    },

    async 'load-timeline'(button) {
      const result = await api('GET', customerUrl + '/timeline?cursor=' + encodeURIComponent(button.dataset.cursor));
      const list = document.getElementById('timeline-list');
      for (const item of result.items) {
        const entry = fromTemplate('timeline-template', { label: data.interactions[item.type] || item.type, at: formatDate(item.at), text: timelineText(item) });
        entry.dataset.type = item.type;
        list.append(entry);
      }
      syncEmpty(list);
      if (result.nextCursor) button.dataset.cursor = result.nextCursor;
      else button.remove();
    },
  };

  document.addEventListener('submit', (event) => {
    const form = event.target.closest('form[data-action]');
    if (!form || !submitActions[form.dataset.action]) return;
    event.preventDefault();
    const button = event.submitter || form.querySelector('[type="submit"]');
    busy(button, () => submitActions[form.dataset.action](form));
  });

  document.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-click]');
    if (!button || !clickActions[button.dataset.click] || button.disabled) return;
    busy(button, () => clickActions[button.dataset.click](button));
  });
})();
