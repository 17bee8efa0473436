import type { MP_SUBSCRIBE_RESULTS, MpSubscriptionsBody } from '../../shared/src/mp-api.ts';
import { api } from '../services/api';

type Decision = (typeof MP_SUBSCRIBE_RESULTS)[number];
type Decisions = MpSubscriptionsBody['results'];

/** What the server accepts for a template; anything newer WeChat may answer is left out rather than refused. */
const DECISIONS: Record<Decision, true> = { accept: true, reject: true, ban: true, filter: true };
const isDecision = (value: unknown): value is Decision => typeof value === 'string' && Object.prototype.hasOwnProperty.call(DECISIONS, value);

/** The templates' decisions in a wx.requestSubscribeMessage result: its errMsg and any other key left out. */
export function decisionsOf(result: WechatMiniprogram.RequestSubscribeMessageSuccessCallbackResult, tmplIds: readonly string[]): Decisions {
  const decisions: Decisions = {};
  for (const id of tmplIds) {
    const value = result[id];
    if (isDecision(value)) decisions[id] = value;
  }
  return decisions;
}

function requestSubscribeMessage(tmplIds: readonly string[]): Promise<Decisions> {
  // A base library without the API throws here, inside the executor: the promise rejects like any failure.
  return new Promise((resolve, reject) => {
    wx.requestSubscribeMessage({ tmplIds: [...tmplIds], success: (result) => resolve(decisionsOf(result, tmplIds)), fail: reject });
  });
}

/**
 * Opens WeChat's subscribe panel for these one-time templates and records the consumer's decisions with the
 * server (each accept is one message the brand may send later).
 *
 * Call it synchronously from a tap handler, or from a modal's confirm callback, before any await: WeChat shows
 * the panel only during a user gesture and fails the call once a network reply has been awaited. It never
 * rejects: a failed panel or recording must not touch what the tap itself did.
 */
export function askToSubscribe(tmplIds: readonly string[]): Promise<void> {
  return requestSubscribeMessage(tmplIds)
    .then(async (decisions) => {
      if (Object.keys(decisions).length > 0) await api.recordSubscriptions(decisions);
    })
    .catch((error: unknown) => {
      console.warn('subscribe-message grants not recorded', error);
    });
}
