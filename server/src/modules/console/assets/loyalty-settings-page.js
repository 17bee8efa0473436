// The loyalty settings page: tiers are rows added and removed in place; the whole form is saved at once.
(function () {
  'use strict';

  const list = document.getElementById('tier-list');
  if (!list || !window.SiyuConsole) return;
  const { api, readPaths, fromTemplate, onSubmit, onClick } = window.SiyuConsole;

  /** Error paths name tiers by position (`/tiers/2/threshold`), so inputs follow the rows' order. */
  function renumber() {
    [...list.children].forEach((row, index) => {
      for (const input of row.querySelectorAll('[data-tier-field]')) input.dataset.path = '/tiers/' + index + '/' + input.dataset.tierField;
    });
  }

  onClick(
    'add-tier',
    () => {
      const row = fromTemplate('tier-row-template');
      list.append(row);
      renumber();
      row.querySelector('input').focus();
    },
    { quiet: true },
  );

  onClick(
    'remove-tier',
    (button) => {
      button.closest('tr').remove();
      renumber();
    },
    { quiet: true },
  );

  onSubmit('save-loyalty-settings', async (form) => {
    await api('PUT', '/api/loyalty/settings', readPaths(form));
    location.assign(location.pathname + '?notice=saved');
  });
})();
