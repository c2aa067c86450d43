import { isUtf8 } from 'node:buffer';
import { errorMessage } from '../../../../../common/src/errors';
import { RestError } from './errors';

/**
 * Deepest nesting of arrays and objects a body may have. MLflow's messages nest four levels at most
 * (log-inputs); protobuf's JSON parser, behind MLflow's handlers, stops at 100 as well. Deeper
 * values would also overflow the stack of anything that walks them (a message quoting the value,
 * the structured clone to the store's worker).
 */
const MAX_JSON_DEPTH = 100;

const bad = (message: string) => new RestError(400, 'INVALID_PARAMETER_VALUE', message);

/**
 * One pass over the text outside its strings: refuses nesting past MAX_JSON_DEPTH, and tells
 * whether a bare `N` or `I` appears (a `NaN` or `Infinity` that JSON has no literal for).
 */
function scan(text: string): { bareNonFinite: boolean } {
  let depth = 0;
  let bareNonFinite = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string, escapes included.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH)
        throw bad(`The request body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep; MLflow's messages need a few.`);
    } else if (c === 0x5d || c === 0x7d) depth--;
    else if (c === 0x4e || c === 0x49) bareNonFinite = true;
  }
  return { bareNonFinite };
}

function parseText(text: string): unknown {
  const { bareNonFinite } = scan(text);
  try {
    return JSON.parse(text);
  } catch (error) {
    // Python's json.dumps writes bare NaN; protobuf's parser behind MLflow refuses it the same way.
    const hint = bareNonFinite ? ' (NaN and infinite values must be quoted: "NaN", "Infinity", "-Infinity")' : '';
    throw bad(`Malformed JSON in the request body: ${errorMessage(error)}${hint}`);
  }
}

/**
 * A JSON request body as MLflow's server reads it: UTF-8 only (Flask refuses other bytes), a JSON
 * string holding JSON (old clients) decoded twice, nesting deeper than MAX_JSON_DEPTH refused
 * before anything parses it.
 */
export function parseJsonText(body: Buffer): unknown {
  if (!isUtf8(body)) throw bad('The request body is not valid UTF-8.');
  const parsed = parseText(body.toString('utf8'));
  return typeof parsed === 'string' ? parseText(parsed) : parsed;
}
