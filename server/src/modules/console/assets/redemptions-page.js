// Redemptions: the till verifies the coupon code a member shows; the list marks it used in place.
(function () {
  'use strict';

  const page = document.querySelector('[data-redemptions-page]');
  if (!page || !window.SiyuConsole) return;
  const { api, data, fill, refuse, say, setFields, dateFormatter, onSubmit } = window.SiyuConsole;
  const text = data.page;
  const section = page.querySelector('[data-section="verify"]');
  const formatDate = dateFormatter(page.dataset.timeZone);

  async function verify(code) {
    try {
      return await api('POST', '/api/redemptions/verify', { code });
    } catch (error) {
      if (error.status === 404) throw refuse(text.notFound);
      if (error.status === 400) throw refuse(text.badCode);
      throw error;
    }
  }

  onSubmit('verify-coupon', async (form) => {
    const coupon = await verify(form.elements.code.value.trim());
    say(section, fill(text.verified, { reward: coupon.rewardName, points: coupon.pointsCost }));
    form.reset();
    const row = page.querySelector('[data-coupon-id="' + coupon.id + '"]');
    if (!row) return;
    const badge = row.querySelector('[data-field="couponStatus"]');
    badge.className = 'badge coupon-used';
    setFields(row, { couponStatus: text.usedLabel, used: fill(text.usedAt, { date: formatDate(coupon.usedAt) }) });
  });
})();
