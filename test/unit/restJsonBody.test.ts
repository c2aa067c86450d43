import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestError } from '../../client/src/core/tracking/rest/errors';
import { parseJsonText } from '../../client/src/core/tracking/rest/jsonBody';

const nested = (depth: number, inner = '1') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

function refusal(text: string | Buffer): string {
  try {
    parseJsonText(Buffer.isBuffer(text) ? text : Buffer.from(text));
  } catch (error) {
    assert.ok(error instanceof RestError, String(error));
    assert.equal(error.status, 400);
    assert.equal(error.errorCode, 'INVALID_PARAMETER_VALUE');
    return error.message;
  }
  assert.fail(`accepted ${String(text).slice(0, 80)}`);
}

describe('request bodies as MLflow reads them (rest/jsonBody.ts)', () => {
  it('reads nesting up to 100 levels and refuses deeper, before parsing', () => {
    assert.deepEqual(parseJsonText(Buffer.from(`{"a": ${nested(99)}}`)), { a: JSON.parse(nested(99)) });
    for (const depth of [100, 5_000, 1_000_000]) assert.match(refusal(`{"a": ${nested(depth)}}`), /more than 100 levels deep/);
    assert.match(refusal(`{"a": ${'{"b": '.repeat(150)}1${'}'.repeat(150)}}`), /more than 100 levels deep/);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const value = `${'['.repeat(500)} \\" ${'{'.repeat(500)}`;
    const parsed = parseJsonText(Buffer.from(`{"key": "${value}", "list": [["a"]]}`)) as { key: string; list: unknown };
    assert.equal(parsed.key, value.replace('\\"', '"'));
    assert.deepEqual(parsed.list, [['a']]);
  });

  it('checks the inner text of a double-encoded body too', () => {
    assert.deepEqual(parseJsonText(Buffer.from(JSON.stringify(JSON.stringify({ run_id: 'x' })))), { run_id: 'x' });
    assert.match(refusal(JSON.stringify(`{"a": ${nested(3000)}}`)), /more than 100 levels deep/);
  });

  it('refuses bytes that are not UTF-8', () => {
    for (const bad of [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82]])
      assert.match(refusal(Buffer.concat([Buffer.from('{"key": "a'), Buffer.from(bad), Buffer.from('"}')])), /not valid UTF-8/);
    assert.deepEqual(parseJsonText(Buffer.from('{"key": "ключ 🦉"}')), { key: 'ключ 🦉' });
  });

  it('refuses bare NaN and Infinity with a hint to quote them, as protobuf does', () => {
    for (const token of ['NaN', 'Infinity', '-Infinity'])
      assert.match(refusal(`{"value": ${token}}`), /Malformed JSON .*must be quoted: "NaN", "Infinity", "-Infinity"/);
    assert.doesNotMatch(refusal('{"value": 1,}'), /must be quoted/);
    assert.deepEqual(parseJsonText(Buffer.from('{"value": "NaN", "v": "Infinity"}')), { value: 'NaN', v: 'Infinity' });
  });
});
