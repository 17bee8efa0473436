// The automation rules page: one form creates or edits a rule, showing only the fields its kind uses.
(function () {
  'use strict';

  const page = document.querySelector('[data-rules-page]');
  if (!page || !window.SiyuConsole) return;
  const { api, data, say, readPaths, clearFieldErrors, onSubmit, onClick } = window.SiyuConsole;
  const form = document.getElementById('rule-form');
  const heading = document.getElementById('rule-form-title');
  const cancel = form.querySelector('[data-click="cancel-edit"]');

  /** Hidden fields are neither checked nor sent (see readPaths), so each kind sends exactly its own body. */
  function syncFields() {
    const kind = form.elements.kind.value;
    const matchBy = form.elements.matchBy.value;
    for (const part of form.querySelectorAll('[data-kinds]')) part.hidden = !part.dataset.kinds.split(' ').includes(kind);
    for (const part of form.querySelectorAll('[data-match]')) part.hidden = part.dataset.match !== matchBy;
  }

  function startNew() {
    form.reset();
    delete form.dataset.ruleId;
    heading.textContent = data.page.newRule;
    cancel.hidden = true;
    clearFieldErrors(form);
    syncFields();
  }

  function startEdit(rule) {
    startNew();
    const join = (list) => (list || []).join(', ');
    const { elements } = form;
    elements.kind.value = rule.kind;
    elements.name.value = rule.name;
    elements.matchBy.value = rule.match && rule.match.regex ? 'regex' : 'keywords';
    elements.keywords.value = rule.match && rule.match.keywords ? rule.match.keywords.join('\n') : '';
    elements.regex.value = (rule.match && rule.match.regex) || '';
    elements.tags.value = join(rule.tags);
    elements.reply.value = rule.reply || '';
    elements.needKeywords.value = join(rule.keywords);
    elements.priority.value = rule.priority;
    elements.enabled.checked = rule.enabled;
    form.dataset.ruleId = rule.id;
    heading.textContent = data.page.editRule;
    cancel.hidden = false;
    syncFields();
    form.scrollIntoView({ block: 'nearest' });
    elements.name.focus();
  }

  form.addEventListener('change', (event) => {
    if (event.target.name === 'kind' || event.target.name === 'matchBy') syncFields();
  });

  onSubmit('save-rule', async () => {
    const id = form.dataset.ruleId;
    const body = readPaths(form);
    if (id) await api('PUT', '/api/bot-rules/' + encodeURIComponent(id), body);
    else await api('POST', '/api/bot-rules', body);
    location.assign(location.pathname + '?notice=saved');
  });

  onClick('edit-rule', (button) => startEdit(JSON.parse(button.closest('[data-rule]').dataset.rule)), { quiet: true });
  onClick('cancel-edit', startNew, { quiet: true });

  onClick('delete-rule', async (button) => {
    await api('DELETE', '/api/bot-rules/' + encodeURIComponent(button.closest('[data-rule-id]').dataset.ruleId));
    location.assign(location.pathname + '?notice=deleted');
  });

  onSubmit('save-bot-settings', async (settingsForm) => {
    await api('PUT', '/api/bot-settings', readPaths(settingsForm));
    say(settingsForm, data.common.notices.saved);
  });

  syncFields();
})();
