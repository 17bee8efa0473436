// The bots page: create a bot (its token shown once), revoke one, and keep every status current from /api/bots.
(function () {
  'use strict';

  const page = document.querySelector('[data-bots-page]');
  if (!page || !window.SiyuConsole) return;
  const { api, data, strings, fill, onSubmit, onClick, setFields, fromTemplate, syncEmpty, dateFormatter } = window.SiyuConsole;
  const text = data.page;
  const formatDate = dateFormatter(page.dataset.timeZone);
  const list = document.getElementById('bot-list');
  const refreshState = page.querySelector('[data-field="refresh-state"]');

  function rowFor(id) {
    const existing = [...list.children].find((row) => row.dataset.botId === id);
    if (existing) return existing;
    const row = fromTemplate('bot-row-template');
    row.dataset.botId = id;
    list.append(row);
    list.closest('table').hidden = false;
    syncEmpty(list);
    return row;
  }

  /** A new login QR is drawn by the server; the row remembers which content its image shows. */
  async function showQr(row, bot, scanning) {
    const figure = row.querySelector('[data-field="qr"]');
    const content = scanning ? bot.qrcode || '' : '';
    if (row.dataset.qrcode === content) return;
    row.dataset.qrcode = content;
    const image = content ? await api('GET', '/console/bots/' + encodeURIComponent(bot.id) + '/qrcode') : null;
    const img = figure.querySelector('img');
    if (image && image.dataUrl) img.src = image.dataUrl;
    else img.removeAttribute('src');
    figure.hidden = !(image && image.dataUrl);
  }

  /** Mirrors botRow() in bots.view.ts. */
  async function updateRow(bot) {
    const row = rowFor(bot.id);
    const status = bot.revokedAt ? 'revoked' : bot.status;
    const badge = row.querySelector('[data-field="status"]');
    badge.className = 'badge status-' + status;
    badge.dataset.status = status;
    const presence = row.querySelector('[data-field="online"]');
    presence.classList.toggle('online', bot.online);
    presence.hidden = Boolean(bot.revokedAt);
    const error = row.querySelector('[data-field="error"]');
    error.hidden = !(bot.status === 'error' && bot.error);
    setFields(row, {
      name: bot.name,
      status: text.statuses[status],
      online: bot.online ? text.online : text.offline,
      account: bot.account ? bot.account.name || bot.account.id : text.noAccount,
      since: formatDate(bot.statusSince),
      lastSeen: bot.lastSeenAt ? formatDate(bot.lastSeenAt) : text.never,
      error: bot.status === 'error' ? bot.error || '' : '',
    });
    const revoke = row.querySelector('[data-click="revoke-bot"]');
    if (bot.revokedAt) revoke?.remove();
    else if (revoke) revoke.dataset.confirm = fill(text.revokeConfirm, { name: bot.name });
    await showQr(row, bot, status === 'scanning');
  }

  async function refresh() {
    try {
      const bots = await api('GET', '/api/bots');
      for (const bot of bots) await updateRow(bot);
      refreshState.textContent = text.autoRefresh;
      refreshState.classList.remove('warning');
    } catch {
      refreshState.textContent = text.refreshFailed;
      refreshState.classList.add('warning');
    } finally {
      setTimeout(refresh, text.refreshMs);
    }
  }

  onSubmit('create-bot', async (form) => {
    const created = await api('POST', '/api/bots', { name: form.elements.name.value.trim() });
    const panel = document.getElementById('token-panel');
    document.getElementById('bot-token').value = created.token;
    setFields(panel, { token: created.token });
    panel.hidden = false;
    const copy = panel.querySelector('[data-click="copy-token"]');
    if (copy.dataset.label) copy.textContent = copy.dataset.label;
    await updateRow(created.bot);
    form.reset();
    document.getElementById('bot-token').select();
  });

  onClick(
    'copy-token',
    async (button) => {
      const input = document.getElementById('bot-token');
      input.select();
      try {
        await navigator.clipboard.writeText(input.value);
      } catch {
        // Without clipboard permission the selected text still copies the old way.
        document.execCommand('copy');
      }
      button.dataset.label ??= button.textContent;
      button.textContent = strings.copied;
    },
    { quiet: true },
  );

  // Closing forgets the token: it is shown once and never again.
  onClick(
    'close-token',
    () => {
      const panel = document.getElementById('token-panel');
      document.getElementById('bot-token').value = '';
      setFields(panel, { token: '' });
      panel.hidden = true;
    },
    { quiet: true },
  );

  onClick('revoke-bot', async (button) => {
    const row = button.closest('[data-bot-id]');
    await updateRow(await api('POST', '/api/bots/' + encodeURIComponent(row.dataset.botId) + '/revoke'));
  });

  setTimeout(refresh, text.refreshMs);
})();
