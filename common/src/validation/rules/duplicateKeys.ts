import { isMap, isScalar, visit, type Node } from 'yaml';
import type { MlopsDiagnostic } from '../../diagnostics';
import type { ParsedDocument } from '../../document/parsedDocument';

/**
 * `duplicate-key`: a map that repeats a key. Every repeat is reported on its
 * own key, naming the line of the first definition (the one YAML readers keep
 * varies by tool, so neither is silently preferred).
 */
export function duplicateKeysRule(doc: ParsedDocument): MlopsDiagnostic[] {
  const out: MlopsDiagnostic[] = [];
  visit(doc.yaml, {
    Map(_key, map) {
      const seen = new Map<string, Node>();
      for (const pair of map.items) {
        const key = pair.key as Node | null;
        if (!key || !key.range) continue;
        const identity = keyIdentity(key);
        const first = seen.get(identity);
        if (!first) {
          seen.set(identity, key);
          continue;
        }
        const firstLine = doc.text.positionAt(first.range?.[0] ?? 0).line + 1;
        out.push({
          code: 'duplicate-key',
          severity: 'error',
          message: `duplicate key \`${displayKey(key)}\`: it is already defined on line ${firstLine}; remove or rename one of them`,
          start: key.range[0],
          end: key.range[1],
        });
      }
    },
  });
  return out;
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
