/** The VS Code API a webview page gets; acquireVsCodeApi may be called once per page. */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** The page's side of the connection; `State` is what the page keeps across reloads. */
export interface HostConnection<ToHost, State> {
  send(message: ToHost): void;
  /** What the page saved last (restored by VS Code when the panel is revived), if anything. */
  getState(): State | undefined;
  setState(state: State): void;
}

/**
 * Typed messaging with the extension host: `send` takes only the page's
 * message union, `onMessage` receives only the host's. Sends `initialized`
 * once the listener is in place.
 */
export function connectToHost<ToHost extends { type: string }, FromHost extends { type: string }, State = unknown>(
  onMessage: (message: FromHost) => void,
): HostConnection<ToHost, State> {
  const api = acquireVsCodeApi();
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string') onMessage(data as FromHost);
  });
  api.postMessage({ type: 'initialized' });
  return {
    send: (message) => api.postMessage(message),
    getState: () => (api.getState() ?? undefined) as State | undefined,
    setState: (state) => api.setState(state),
  };
}

/** Makes an element with text content only: strings from files never become HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}
