// The reward catalog: one form adds a reward or edits one; the image URL shows as a preview while it is typed.
(function () {
  'use strict';

  const form = document.getElementById('reward-form');
  if (!form || !window.SiyuConsole) return;
  const { api, data, fill, readPaths, setFields, clearFieldErrors, onSubmit, onClick } = window.SiyuConsole;
  const text = data.page;
  const heading = document.getElementById('reward-form-title');
  const preview = document.getElementById('reward-image-preview');
  const cancel = form.querySelector('[data-click="cancel-edit"]');

  function showPreview() {
    const url = form.elements.imageUrl.value.trim();
    if (/^https:\/\/\S+$/.test(url)) preview.src = url;
    else preview.removeAttribute('src');
    preview.hidden = !preview.getAttribute('src');
  }
  preview.addEventListener('error', () => (preview.hidden = true));
  preview.addEventListener('load', () => (preview.hidden = false));
  form.elements.imageUrl.addEventListener('input', showPreview);

  /** New rewards set their stock; an edit moves it by a delta, so units taken meanwhile are never overwritten. */
  function setMode(mode) {
    for (const part of form.querySelectorAll('[data-mode]')) part.hidden = part.dataset.mode !== mode;
    heading.textContent = mode === 'edit' ? text.editReward : text.newReward;
    cancel.hidden = mode !== 'edit';
  }

  /** An ISO time as a datetime-local value, in the browser's zone as the input shows it. */
  function localInput(iso) {
    if (!iso) return '';
    const date = new Date(iso);
    const pad = (number) => String(number).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  }

  function startNew() {
    form.reset();
    delete form.dataset.rewardId;
    clearFieldErrors(form);
    setMode('create');
    showPreview();
  }

  function startEdit(reward) {
    startNew();
    const { elements } = form;
    elements.name.value = reward.name;
    elements.description.value = reward.description;
    elements.imageUrl.value = reward.imageUrl || '';
    elements.pointsCost.value = reward.pointsCost;
    elements.perMemberLimit.value = reward.perMemberLimit ?? '';
    elements.validFrom.value = localInput(reward.validFrom);
    elements.validTo.value = localInput(reward.validTo);
    elements.minTierCode.value = reward.minTierCode || '';
    elements.couponValidDays.value = reward.couponValidDays;
    elements.active.checked = reward.active;
    setFields(form, { currentStock: fill(text.currentStock, { stock: reward.stock }) });
    form.dataset.rewardId = reward.id;
    setMode('edit');
    showPreview();
    form.scrollIntoView({ block: 'nearest' });
    elements.name.focus();
  }

  onSubmit('save-reward', async () => {
    const id = form.dataset.rewardId;
    if (id) await api('PATCH', '/api/rewards/' + encodeURIComponent(id), readPaths(form, { blank: 'null' }));
    else await api('POST', '/api/rewards', readPaths(form));
    location.assign(location.pathname + '?notice=saved');
  });

  onClick('edit-reward', (button) => startEdit(JSON.parse(button.closest('[data-reward]').dataset.reward)), { quiet: true });
  onClick('cancel-edit', startNew, { quiet: true });
})();
