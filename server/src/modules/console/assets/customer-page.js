// The 360° page: tags, notes, reminders and the timeline change in place.
(function () {
  'use strict';

  const page = document.querySelector('[data-customer-id]');
  if (!page || !window.SiyuConsole) return;
  const { api, data, strings, refuse, onSubmit, onClick, fromTemplate, syncEmpty, dateFormatter } = window.SiyuConsole;

  const customerUrl = '/api/customers/' + encodeURIComponent(page.dataset.customerId);
  const formatDate = dateFormatter(page.dataset.timeZone);

  /** Mirrors timelineText() in customer-360.view.ts. */
  function timelineText(item) {
    const from = item.data && item.data.from;
    const to = item.data && item.data.to;
    if (item.type === 'layer_changed' && from && to) return (data.layers[from] || from) + ' → ' + (data.layers[to] || to);
    return item.summary || '';
  }

  onSubmit('add-tag', async (form) => {
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
  });

  onSubmit('add-note', async (form) => {
    const body = form.elements.body.value.trim();
    if (!body) return;
    const note = await api('POST', customerUrl + '/notes', { body });
    const list = document.getElementById('note-list');
    list.prepend(fromTemplate('note-template', { body: note.body, author: note.authorName, at: formatDate(note.createdAt) }));
    syncEmpty(list);
    form.reset();
  });

  onSubmit('add-reminder', async (form) => {
    const title = form.elements.title.value.trim();
    const due = new Date(form.elements.dueAt.value);
    if (!title || Number.isNaN(due.getTime())) throw refuse(strings.invalid);
    const reminder = await api('POST', customerUrl + '/reminders', { title, dueAt: due.toISOString() });
    const item = fromTemplate('reminder-template', { title: reminder.title, due: formatDate(reminder.dueAt) });
    item.dataset.reminderId = reminder.id;
    const list = document.getElementById('reminder-list');
    list.prepend(item);
    syncEmpty(list);
    form.reset();
  });

  onClick('remove-tag', async (button) => {
    const chip = button.closest('[data-tag]');
    await api('DELETE', customerUrl + '/tags', { tags: [chip.dataset.tag] });
    const list = chip.parentElement;
    chip.remove();
    syncEmpty(list);
  });

  onClick('reminder-done', async (button) => {
    const item = button.closest('[data-reminder-id]');
    await api('POST', customerUrl + '/reminders/' + encodeURIComponent(item.dataset.reminderId) + '/done');
    const badge = document.createElement('span');
    badge.className = 'badge done-badge';
    badge.textContent = button.dataset.doneLabel;
    item.classList.remove('overdue');
    item.classList.add('done');
    button.replaceWith(badge);
  });

  onClick('load-timeline', async (button) => {
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
  });
})();
