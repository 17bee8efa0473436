import type { WechatFake } from '../../server/mp/wechat-fake.ts';

interface RequestOptions {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
  success?(result: { statusCode: number; data: unknown; header: Record<string, string>; errMsg: string }): void;
  fail?(result: { errMsg: string }): void;
}

interface Callbacks<T> {
  success?(result: T): void;
  fail?(result: { errMsg: string }): void;
  complete?(): void;
}

interface ModalOptions extends Callbacks<{ confirm: boolean; cancel: boolean; errMsg: string }> {
  title?: string;
  content?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  /** The parsed reply; undefined when none arrived. */
  reply?: unknown;
  /** The HTTP status, 'network-error' when it never reached the server, 'response-lost' when it did but no answer came back. */
  status: number | 'network-error' | 'response-lost';
}

const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The parts of `wx` the mini-program uses, faked on top of miniprogram-simulate's own mocks: requests go to a
 * real server over HTTP, wx.login asks the WeChat fake for a code, storage is a map, modals answer as told.
 */
export function installWxFake({ origin, wechat }: { origin: string; wechat: WechatFake }) {
  const storage = new Map<string, string>();
  const requests: RecordedRequest[] = [];
  const toasts: string[] = [];
  const modals: Array<{ title: string; content: string }> = [];
  const navigations: string[] = [];
  const inflight = new Set<Promise<unknown>>();
  const state = { openid: 'o_nobody', offlineRequests: 0, lostResponses: 0, modalAnswers: [] as boolean[] };

  const track = (task: Promise<unknown>) => {
    inflight.add(task);
    void task.finally(() => inflight.delete(task));
  };

  async function forward(options: RequestOptions): Promise<void> {
    const method = (options.method ?? 'GET').toUpperCase();
    const url = new URL(options.url);
    const body = options.data;
    if (state.offlineRequests > 0) {
      state.offlineRequests -= 1;
      requests.push({ method, path: url.pathname, body, status: 'network-error' });
      options.fail?.({ errMsg: 'request:fail timeout' });
      return;
    }
    const response = await fetch(`${origin}${url.pathname}${url.search}`, {
      method,
      headers: options.header,
      body: method === 'GET' ? undefined : JSON.stringify(options.data ?? {}),
    });
    const text = await response.text();
    if (state.lostResponses > 0) {
      state.lostResponses -= 1;
      requests.push({ method, path: url.pathname, body, status: 'response-lost' });
      options.fail?.({ errMsg: 'request:fail timeout' });
      return;
    }
    const data: unknown = (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
    requests.push({ method, path: url.pathname, body, reply: data, status: response.status });
    options.success?.({ statusCode: response.status, data, header: Object.fromEntries(response.headers), errMsg: 'request:ok' });
  }

  function answerModal(options: ModalOptions): Promise<{ confirm: boolean; cancel: boolean; errMsg: string }> {
    modals.push({ title: options.title ?? '', content: options.content ?? '' });
    const confirm = state.modalAnswers.length ? state.modalAnswers.shift()! : true;
    const result = { confirm, cancel: !confirm, errMsg: 'showModal:ok' };
    const task = nextTurn().then(() => {
      options.success?.(result);
      options.complete?.();
      return result;
    });
    track(task);
    return task;
  }

  const fakes = {
    request(options: RequestOptions) {
      track(forward(options));
      return { abort() {} };
    },
    login(options: Callbacks<{ code: string; errMsg: string }>) {
      const code = wechat.loginCode({ openid: state.openid });
      track(nextTurn().then(() => options.success?.({ code, errMsg: 'login:ok' })));
    },
    getStorageSync: (key: string): unknown => (storage.has(key) ? JSON.parse(storage.get(key)!) : ''),
    setStorageSync: (key: string, value: unknown) => void storage.set(key, JSON.stringify(value)),
    removeStorageSync: (key: string) => void storage.delete(key),
    showModal: answerModal,
    showToast: (options: { title: string }) => void toasts.push(options.title),
    stopPullDownRefresh: () => undefined,
    navigateTo: (options: { url: string }) => void navigations.push(options.url),
    switchTab: (options: { url: string }) => void navigations.push(options.url),
    setClipboardData: (options: Callbacks<{ errMsg: string }> & { data: string }) => void toasts.push(`copied ${options.data}`),
  };
  Object.assign((globalThis as unknown as { wx: object }).wx, fakes);

  return {
    storage,
    requests,
    toasts,
    modals,
    navigations,
    /** wx.login signs in as this WeChat user from now on. */
    signInAs(openid: string): void {
      state.openid = openid;
      storage.clear();
    },
    /** The next `count` requests fail as if the network were down. */
    dropNextRequests(count: number): void {
      state.offlineRequests = count;
    },
    /** The next `count` requests reach the server, but their answers are lost on the way back. */
    loseNextResponses(count: number): void {
      state.lostResponses = count;
    },
    /** Answers for the next wx.showModal calls, in order; without one a modal is confirmed. */
    answerModals(...answers: boolean[]): void {
      state.modalAnswers.push(...answers);
    },
    callsTo(method: string, path: string): RecordedRequest[] {
      return requests.filter((request) => request.method === method && request.path === path);
    },
    /** Resolves once every request, login and modal started by the pages has finished, cascades included. */
    async settle(): Promise<void> {
      for (let round = 0; round < 100; round += 1) {
        await nextTurn();
        if (inflight.size === 0) return;
        await Promise.allSettled([...inflight]);
      }
      throw new Error('the pages kept starting requests');
    },
  };
}

export type WxFake = ReturnType<typeof installWxFake>;
