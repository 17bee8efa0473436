import { describe, expect, it } from 'vitest';
import { SendScheduler, type ScheduleResult } from '../../bot/src/send-scheduler.ts';
import { DEFAULT_CONFIG, type ThrottleSettings } from '../../bot/src/send-throttle.ts';

const tiny: ThrottleSettings = { replyMinGapMs: 20, proactiveMinGapMs: 40, proactiveMaxGapMs: 60, dailyCap: 3, unansweredPerContactPerDay: 1 };

function recorder() {
  const sent: { label: string; at: number; purpose: string }[] = [];
  const send = (label: string, purpose: 'reply' | 'proactive', target = label) => ({
    purpose,
    target,
    run: async () => {
      sent.push({ label, at: performance.now(), purpose });
      return { sent: true, value: label };
    },
  });
  return { sent, send };
}

describe('SendScheduler', () => {
  it('holds gaps and caps when replies and proactive sends arrive at once', async () => {
    const scheduler = new SendScheduler();
    scheduler.updateSettings(tiny);
    const { sent, send } = recorder();
    const results = await Promise.all([
      scheduler.schedule(send('p1', 'proactive', 'alice')),
      scheduler.schedule(send('p2', 'proactive', 'alice')),
      scheduler.schedule(send('p3', 'proactive', 'bob')),
      scheduler.schedule(send('r1', 'reply')),
      scheduler.schedule(send('p4', 'proactive', 'carol')),
      scheduler.schedule(send('r2', 'reply')),
      scheduler.schedule(send('p5', 'proactive', 'dave')),
    ]);

    expect(results.map(summary)).toEqual(['p1', 'contact_cap', 'p3', 'r1', 'p4', 'r2', 'daily_cap']);
    expect(sent.filter((s) => s.purpose === 'proactive')).toHaveLength(tiny.dailyCap);
    for (let i = 1; i < sent.length; i++) expect(sent[i].at - sent[i - 1].at).toBeGreaterThanOrEqual(tiny.replyMinGapMs - 2);
    const proactive = sent.filter((s) => s.purpose === 'proactive');
    for (let i = 1; i < proactive.length; i++) expect(proactive[i].at - proactive[i - 1].at).toBeGreaterThanOrEqual(tiny.proactiveMinGapMs - 2);
  });

  it('lets a reply overtake proactive sends already waiting', async () => {
    const scheduler = new SendScheduler();
    scheduler.updateSettings({ ...tiny, dailyCap: 10, unansweredPerContactPerDay: 10, proactiveMinGapMs: 200, proactiveMaxGapMs: 200 });
    const { sent, send } = recorder();
    const broadcast = [1, 2, 3].map((n) => scheduler.schedule(send(`p${n}`, 'proactive')));
    await broadcast[0];
    await scheduler.schedule(send('r1', 'reply'));
    await Promise.all(broadcast);
    expect(sent.map((s) => s.label)).toEqual(['p1', 'r1', 'p2', 'p3']);
  });

  it('does not count a send that gave up before reaching WeChat', async () => {
    const scheduler = new SendScheduler();
    scheduler.updateSettings({ ...tiny, dailyCap: 1 });
    const gaveUp = await scheduler.schedule({ purpose: 'proactive', target: 'a', run: async () => ({ sent: false, value: 'logged out' }) });
    const next = await scheduler.schedule({ purpose: 'proactive', target: 'b', run: async () => ({ sent: true, value: 'ok' }) });
    expect([gaveUp, next]).toEqual([{ status: 'done', value: 'logged out' }, { status: 'done', value: 'ok' }]);
  });

  it('cancels what is still queued when closed', async () => {
    const scheduler = new SendScheduler({ config: { ...DEFAULT_CONFIG, settings: { ...tiny, replyMinGapMs: 10_000 } } });
    const { send } = recorder();
    const first = scheduler.schedule(send('r1', 'reply'));
    const second = scheduler.schedule(send('r2', 'reply'));
    await first;
    await scheduler.close();
    expect(await second).toEqual({ status: 'cancelled' });
  });
});

function summary(result: ScheduleResult<string>): string {
  if (result.status === 'done') return result.value;
  if (result.status === 'refused') return result.reason;
  return result.status;
}
