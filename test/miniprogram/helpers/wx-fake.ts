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

interface SubscribeOptions extends Callbacks<Record<string, string> & { errMsg: string }> {
  tmplIds: string[];
}

/** How the next wx.requestSubscribeMessage answers: its whole success result (errMsg included), or a failure. */
export type SubscribeAnswer = { success: Record<string, string> & { errMsg: string } } | { fail: string };

/** A wx.requestSubscribeMessage call, and whether it came during a user gesture (WeChat refuses it otherwise). */
export interface SubscribeRequest {
  tmplIds: string[];
  duringGesture: boolean;
}

const NOT_A_GESTURE = 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.';

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
  const subscribeRequests: SubscribeRequest[] = [];
  const inflight = new Set<Promise<unknown>>();
  const state = {
    openid: 'o_nobody',
    offlineRequests: 0,
    lostResponses: 0,
    lostPath: '',
    modalAnswers: [] as boolean[],
    subscribeAnswers: [] as SubscribeAnswer[],
    /** True while a user's tap is being handled: gesture-only APIs work then. */
    gesture: false,
  };

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
    if (state.lostResponses > 0 && (!state.lostPath || state.lostPath === url.pathname)) {
      state.lostResponses -= 1;
      requests.push({ method, path: url.pathname, body, status: 'response-lost' });
      options.fail?.({ errMsg: 'request:fail timeout' });
      return;
    }
    const data: unknown = (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
    requests.push({ method, path: url.pathname, body, reply: data, status: response.status });
    options.success?.({ statusCode: response.status, data, header: Object.fromEntries(response.headers), errMsg: 'request:ok' });
  }

  /** Runs a native callback of a user's tap (a modal's button): gesture-only APIs work until it returns. */
  function duringGesture<T>(run: () => T): T {
    const outer = state.gesture;
    state.gesture = true;
    try {
      return run();
    } finally {
      state.gesture = outer;
    }
  }

  /** Without an answer queued, the consumer closes the panel: every template rejected. */
  function answerSubscribe(options: SubscribeOptions): void {
    const duringGestureNow = state.gesture;
    subscribeRequests.push({ tmplIds: [...options.tmplIds], duringGesture: duringGestureNow });
    const rejectAll = { errMsg: 'requestSubscribeMessage:ok', ...Object.fromEntries(options.tmplIds.map((id) => [id, 'reject'])) };
    const answer: SubscribeAnswer = !duringGestureNow ? { fail: NOT_A_GESTURE } : (state.subscribeAnswers.shift() ?? { success: rejectAll });
    track(
      nextTurn().then(() => {
        if ('fail' in answer) options.fail?.({ errMsg: answer.fail });
        else options.success?.(answer.success);
        options.complete?.();
      }),
    );
  }

  function answerModal(options: ModalOptions): Promise<{ confirm: boolean; cancel: boolean; errMsg: string }> {
    modals.push({ title: options.title ?? '', content: options.content ?? '' });
    const confirm = state.modalAnswers.length ? state.modalAnswers.shift()! : true;
    const result = { confirm, cancel: !confirm, errMsg: 'showModal:ok' };
    // The consumer's tap on the modal's button is a gesture of its own.
    const task = nextTurn().then(() =>
      duringGesture(() => {
        options.success?.(result);
        options.complete?.();
        return result;
      }),
    );
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
    requestSubscribeMessage: answerSubscribe,
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
    subscribeRequests,
    /**
     * A tap on the page: j-component delivers `dispatchEvent` one microtask later, so the gesture lasts until
     * then, through the synchronous part of the handlers and not into the turns they await.
     */
    async tap(dispatch: () => void): Promise<void> {
      state.gesture = true;
      try {
        dispatch();
        await Promise.resolve();
      } finally {
        state.gesture = false;
      }
    },
    /** wx.login signs in as this WeChat user from now on. */
    signInAs(openid: string): void {
      state.openid = openid;
      storage.clear();
    },
    /** The next `count` requests fail as if the network were down. */
    dropNextRequests(count: number): void {
      state.offlineRequests = count;
    },
    /** The next `count` requests (to `path` only, when given) reach the server, but their answers are lost on the way back. */
    loseNextResponses(count: number, path = ''): void {
      state.lostResponses = count;
      state.lostPath = path;
    },
    /** Answers for the next wx.showModal calls, in order; without one a modal is confirmed. */
    answerModals(...answers: boolean[]): void {
      state.modalAnswers.push(...answers);
    },
    /** Answers for the next wx.requestSubscribeMessage calls made during a gesture, in order. */
    answerSubscriptions(...answers: SubscribeAnswer[]): void {
      state.subscribeAnswers.push(...answers);
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
