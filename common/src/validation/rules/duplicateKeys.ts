import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';
import { memoized, MemoSlot } from '../../document/pairMemo';

/** A key that repeats an earlier key of the same map. */
interface Repeat {
  readonly first: Node;
  readonly repeat: Node;
}

const REPEATS_BELOW = new MemoSlot<Repeat[]>();

/**
 * `duplicate-key`: a map that repeats a key. Every repeat is reported on its
 * own key, naming the line of the first definition (the one YAML readers keep
 * varies by tool, so neither is silently preferred).
 *
 * The entries of the maps under the root (each step, each param) are searched
 * once per Pair (see document/pairMemo.ts); the line numbers in the messages
 * are worked out per version, since an edit above moves them.
 */
export function duplicateKeysRule(doc: ParsedDocument): MlopsDiagnostic[] {
  const repeats: Repeat[] = [];
  const root = doc.yaml.contents;
  if (isMap(root)) {
    repeatsIn(root.items, repeats);
    for (const top of root.items) {
      findRepeats(top.key, repeats);
      if (!isMap(top.value)) {
        findRepeats(top.value, repeats);
        continue;
      }
      repeatsAmongEntries(top.value, repeats);
      for (const entry of top.value.items)
        repeats.push(
          ...memoized(entry, REPEATS_BELOW, () => {
            const below: Repeat[] = [];
            findRepeats(entry, below);
            return below;
          }),
        );
    }
  } else findRepeats(root, repeats);

  return repeats.map(({ first, repeat }) => {
    const firstLine = doc.text.positionAt(first.range?.[0] ?? 0).line + 1;
    return {
      code: 'duplicate-key',
      severity: 'error',
      message: `duplicate key \`${displayKey(repeat)}\`: it is already defined on line ${firstLine}; remove or rename one of them`,
      start: repeat.range![0],
      end: repeat.range![1],
    };
  });
}

/** What a map under the root held when it last had no repeated key. */
const withoutRepeats = new WeakMap<YAMLMap, Pair[]>();

/**
 * The repeats among the keys of a map under the root. A splice keeps the map
 * and replaces one entry, mostly under the same key: then a map that had no
 * repeat still has none, found by comparing entries instead of hashing
 * thousands of keys again.
 */
function repeatsAmongEntries(map: YAMLMap, out: Repeat[]): void {
  const before = withoutRepeats.get(map);
  const items = map.items;
  if (before && before.length === items.length && items.every((pair, i) => pair === before[i] || sameKey(pair, before[i]!))) {
    withoutRepeats.set(map, [...items]);
    return;
  }
  const found: Repeat[] = [];
  repeatsIn(items, found);
  if (found.length === 0) withoutRepeats.set(map, [...items]);
  else withoutRepeats.delete(map);
  out.push(...found);
}

function sameKey(a: Pair, b: Pair): boolean {
  const ka = a.key as Node | null;
  const kb = b.key as Node | null;
  if (!ka?.range || !kb?.range) return !ka?.range && !kb?.range;
  return sameIdentity(ka, kb);
}

/** Every repeat in the maps at or below `node` (a node or a pair), keys included. */
function findRepeats(node: unknown, out: Repeat[]): void {
  if (isPair(node)) {
    findRepeats(node.key, out);
    findRepeats(node.value, out);
  } else if (isMap(node)) {
    repeatsIn(node.items, out);
    for (const pair of node.items) findRepeats(pair, out);
  } else if (isSeq(node)) {
    for (const item of node.items) findRepeats(item, out);
  }
}

/** Up to this many entries, a map's keys are compared with each other instead of hashed (most maps of a step are small). */
const FEW_KEYS = 12;

function repeatsIn(items: readonly Pair[], out: Repeat[]): void {
  if (items.length <= FEW_KEYS) return repeatsAmongFew(items, out);
  // String keys by their text, without building an identity string: a `steps:` map has thousands.
  const strings = new Map<string, Node>();
  const others = new Map<string, Node>();
  for (const pair of items) {
    const key = pair.key as Node | null;
    if (!key || !key.range) continue;
    const text = isScalar(key) && typeof key.value === 'string' ? key.value : undefined;
    const seen = text === undefined ? others : strings;
    const identity = text ?? keyIdentity(key);
    const first = seen.get(identity);
    if (first) out.push({ first, repeat: key });
    else seen.set(identity, key);
  }
}

/** `repeatsIn` for a few keys: each against those before it, without a Map. */
function repeatsAmongFew(items: readonly Pair[], out: Repeat[]): void {
  for (let i = 1; i < items.length; i++) {
    const key = items[i]!.key as Node | null;
    if (!key || !key.range) continue;
    for (let j = 0; j < i; j++) {
      const earlier = items[j]!.key as Node | null;
      if (earlier?.range && sameIdentity(earlier, key)) {
        out.push({ first: earlier, repeat: key });
        break;
      }
    }
  }
}

/** keyIdentity(a) === keyIdentity(b), without building the strings for string keys (most keys). */
function sameIdentity(a: Node, b: Node): boolean {
  const textA = isScalar(a) && typeof a.value === 'string' ? a.value : undefined;
  const textB = isScalar(b) && typeof b.value === 'string' ? b.value : undefined;
  if (textA !== undefined || textB !== undefined) return textA === textB;
  return keyIdentity(a) === keyIdentity(b);
}

/** Keys are equal when YAML would resolve them to the same value: `1` and `"1"` differ. */
function keyIdentity(key: Node): string {
  if (isScalar(key)) return `${typeof key.value}:${String(key.value)}`;
  if (isMap(key)) return `map:${JSON.stringify(key.toJSON())}`;
  return `${key.constructor.name}:${JSON.stringify(key.toJSON())}`;
}

function displayKey(key: Node): string {
  const text = isScalar(key) ? String(key.value) : JSON.stringify(key.toJSON());
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
