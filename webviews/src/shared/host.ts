/** The VS Code API a webview page gets; acquireVsCodeApi may be called once per page. */
interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/**
 * Typed messaging with the extension host: `send` takes only the page's
 * message union, `onMessage` receives only the host's. Sends `initialized`
 * once the listener is in place.
 */
export function connectToHost<ToHost extends { type: string }, FromHost extends { type: string }>(
  onMessage: (message: FromHost) => void,
): { send(message: ToHost): void } {
  const api = acquireVsCodeApi();
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string') onMessage(data as FromHost);
  });
  api.postMessage({ type: 'initialized' });
  return { send: (message) => api.postMessage(message) };
}

/** Makes an element with text content only: strings from files never become HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}
