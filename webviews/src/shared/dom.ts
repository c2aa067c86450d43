// Text-only DOM helpers for the chart pages: every label may come from the tracking store, so each
// becomes a text node or an attribute value, never markup.
import { el } from './host';

export { el };

/** A button with a text label (and an optional tooltip). */
export function button(label: string, onClick: () => void, title?: string): HTMLButtonElement {
  const b = el('button', undefined, label);
  b.type = 'button';
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

/** A labelled <select> of text options; `onChange` gets the chosen value. */
export function select(
  label: string,
  options: readonly { value: string; text: string }[],
  value: string,
  onChange: (value: string) => void,
): HTMLLabelElement {
  const wrapper = el('label', 'control', label);
  const s = el('select');
  for (const o of options) {
    const option = el('option', undefined, o.text);
    option.value = o.value;
    s.append(option);
  }
  s.value = value;
  s.addEventListener('change', () => onChange(s.value));
  wrapper.append(' ', s);
  return wrapper;
}

/** A labelled checkbox. */
export function checkbox(label: string, checked: boolean, onChange: (checked: boolean) => void): HTMLLabelElement {
  const wrapper = el('label', 'control');
  const box = el('input');
  box.type = 'checkbox';
  box.checked = checked;
  box.addEventListener('change', () => onChange(box.checked));
  wrapper.append(box, ' ', label);
  return wrapper;
}

/** A labelled range slider; `format` shows the value beside it. */
export function slider(
  label: string,
  range: { min: number; max: number; step: number },
  value: number,
  format: (v: number) => string,
  onInput: (value: number) => void,
): HTMLLabelElement {
  const wrapper = el('label', 'control', label);
  const input = el('input');
  input.type = 'range';
  input.min = String(range.min);
  input.max = String(range.max);
  input.step = String(range.step);
  input.value = String(value);
  const shown = el('span', 'value', format(value));
  input.addEventListener('input', () => {
    shown.textContent = format(Number(input.value));
    onInput(Number(input.value));
  });
  wrapper.append(' ', input, ' ', shown);
  return wrapper;
}
