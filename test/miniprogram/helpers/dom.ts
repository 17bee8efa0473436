import { JSDOM } from 'jsdom';

/** What miniprogram-simulate's renderer (j-component) reaches for on the global object. */
const WINDOW_GLOBALS = ['document', 'Node', 'Element', 'HTMLElement', 'Event', 'CustomEvent', 'DocumentFragment', 'getComputedStyle', 'requestAnimationFrame'] as const;

let installed = false;

/**
 * A DOM for miniprogram-simulate, installed on the Node global object by hand rather than through vitest's
 * jsdom environment: the same process runs the real server, whose libraries expect plain Node globals.
 */
export function installDom(): void {
  if (installed) return;
  const { window } = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true });
  const target = globalThis as unknown as Record<string, unknown>;
  target.window = window;
  for (const name of WINDOW_GLOBALS) {
    const value: unknown = window[name];
    // Window functions need their window as `this`; constructors do not.
    target[name] = typeof value === 'function' && /^[a-z]/.test(name) ? value.bind(window) : value;
  }
  installed = true;
}
