// The member pages: look a member up by card number or scanned member code, award purchase points, adjust by hand.
(function () {
  'use strict';

  if (!window.SiyuConsole) return;
  const { api, data, fill, refuse, say, readPaths, setFields, fromTemplate, syncEmpty, dateFormatter, onSubmit, onClick } = window.SiyuConsole;
  const text = data.page;
  const CARD_NUMBER = /^[\d\s-]+$/;

  /** A scanner types the member code (v1.…) and presses Enter; a person types the card number. */
  async function customerIdFor(input) {
    if (!CARD_NUMBER.test(input)) return (await api('POST', '/api/loyalty/scan', { code: input })).customerId;
    try {
      return (await api('GET', '/api/loyalty/members/by-card/' + encodeURIComponent(input.replace(/\s+/g, ' ')))).customerId;
    } catch (error) {
      if (error.status === 404) throw refuse(text.notFound);
      if (error.status === 400) throw refuse(text.badCard);
      throw error;
    }
  }

  onSubmit('member-lookup', async (form) => {
    const customerId = await customerIdFor(form.elements.lookup.value.trim());
    location.assign('/console/loyalty/members/' + encodeURIComponent(customerId));
  });

  const page = document.querySelector('[data-member-page]');
  if (!page) return;
  const memberUrl = '/api/loyalty/members/' + encodeURIComponent(page.dataset.customerId);
  const formatDate = dateFormatter(page.dataset.timeZone);
  const ledgerList = document.getElementById('ledger-list');
  const loadMore = page.querySelector('[data-click="load-ledger"]');

  /** Mirrors tierProgress() in member.view.ts. */
  function tierProgress(card) {
    if (!card.nextTier) return 100;
    const current = text.tiers.find((tier) => tier.code === card.tier.code);
    const from = current ? current.threshold : 0;
    const to = card.lifetimePoints + card.nextTier.pointsNeeded;
    return to > from ? Math.round(((card.lifetimePoints - from) / (to - from)) * 1000) / 10 : 0;
  }

  /** Mirrors ledgerRow() in member.view.ts. */
  function ledgerRow(entry) {
    const row = fromTemplate('ledger-row-template', {
      at: formatDate(entry.at),
      kind: text.kinds[entry.kind] || entry.kind,
      amount: entry.amount > 0 ? '+' + entry.amount : String(entry.amount),
      reason: entry.reason,
      frozenNote: entry.frozenUntil && entry.frozenDelta > 0 ? fill(text.frozenUntil, { date: formatDate(entry.frozenUntil) }) : '',
      balanceAfter: entry.balanceAfter === null ? text.none : String(entry.balanceAfter),
    });
    row.dataset.entryId = entry.id;
    row.dataset.kind = entry.kind;
    row.querySelector('.amount').classList.add(entry.amount > 0 ? 'plus' : entry.amount < 0 ? 'minus' : 'zero');
    return row;
  }

  function showLedgerPage(ledger, replace) {
    if (replace) ledgerList.replaceChildren();
    ledgerList.append(...ledger.items.map(ledgerRow));
    syncEmpty(ledgerList);
    loadMore.dataset.cursor = ledger.nextCursor || '';
    loadMore.hidden = !ledger.nextCursor;
  }

  /** After a change the card and the first ledger page are read again: the server's numbers, not sums kept here. */
  async function refresh() {
    const { member, ledger } = await api('GET', memberUrl);
    const card = page.querySelector('.member-card');
    setFields(card, {
      tier: member.tier.name,
      balance: member.balance,
      available: member.available,
      frozen: member.frozen,
      lifetimePoints: member.lifetimePoints,
      nextTier: member.nextTier ? fill(text.nextTier, { name: member.nextTier.name, points: member.nextTier.pointsNeeded }) : text.topTier,
    });
    card.querySelector('[data-field="progress"]').style.width = tierProgress(member) + '%';
    showLedgerPage(ledger, true);
  }

  onSubmit('award-purchase', async (form) => {
    const award = await api('POST', memberUrl + '/purchases', readPaths(form));
    await refresh();
    form.reset();
    if (!award.created) say(form, text.awardedBefore);
    else if (award.frozenUntil) say(form, fill(text.awardedFrozen, { points: award.points, date: formatDate(award.frozenUntil) }));
    else say(form, fill(text.awarded, { points: award.points }));
  });

  // One key per adjustment, kept across retries of it, so a lost reply retried never adjusts twice.
  const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2));

  document.querySelector('form[data-action="adjust-points"]')?.addEventListener('input', (event) => delete event.currentTarget.dataset.key);

  onSubmit('adjust-points', async (form) => {
    form.dataset.key ||= newKey();
    const { entry } = await api('POST', memberUrl + '/adjustments', readPaths(form), { 'idempotency-key': form.dataset.key });
    delete form.dataset.key;
    await refresh();
    form.reset();
    say(form, fill(text.adjusted, { amount: entry.amount > 0 ? '+' + entry.amount : entry.amount, balance: entry.balanceAfter ?? text.none }));
  });

  onClick('load-ledger', async (button) => {
    const { ledger } = await api('GET', memberUrl + '?cursor=' + encodeURIComponent(button.dataset.cursor));
    showLedgerPage(ledger, false);
  });
})();
