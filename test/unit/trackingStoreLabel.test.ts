import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chooseCredentials,
  hostOf,
  parseStoredCredentials,
  RECENT_LIMIT,
  rememberServer,
  secretKey,
  storeChoices,
  storeLabel,
} from '../../client/src/ui/storeLabel';

describe('the tracking status bar item and store switcher (ui/storeLabel)', () => {
  it('names the workspace database, shared or owned', () => {
    assert.deepEqual(storeLabel({ kind: 'workspace', role: 'owner', url: 'http://127.0.0.1:5123' }), {
      text: '$(database) Tracking: workspace',
      tooltip:
        'Tracking in the workspace database (.mlops/tracking.db); MLflow-compatible endpoint http://127.0.0.1:5123\nClick to switch stores.',
    });
    const peer = storeLabel({ kind: 'workspace', role: 'peer', url: 'http://127.0.0.1:5123', ownerPid: 42 });
    assert.equal(peer.text, '$(database) Tracking: workspace (shared)');
    assert.match(peer.tooltip, /served by process 42/);
  });

  it('names a team server by its host, crossed out with the error while it does not answer', () => {
    const up = storeLabel({ kind: 'remote', url: 'https://mlflow.example.com:8443/', reachable: true });
    assert.equal(up.text, '$(cloud) Tracking: mlflow.example.com:8443');
    assert.match(up.tooltip, /^Tracking in the MLflow server https:\/\/mlflow\.example\.com:8443\//);
    const down = storeLabel({
      kind: 'remote',
      url: 'https://mlflow.example.com',
      reachable: false,
      error: 'connect ECONNREFUSED',
      outbox: 3,
    });
    assert.equal(down.text, '$(cloud-offline) Tracking: mlflow.example.com (3 waiting)');
    assert.match(down.tooltip, /does not answer: connect ECONNREFUSED\n3 writes wait in \.mlops\/outbox\nClick to switch stores\./);
  });

  it('says why a store cannot be used, naming the server when there is one', () => {
    const bad = storeLabel({ kind: 'failed', target: 'ftp://x', error: 'only http(s)' });
    assert.equal(bad.text, '$(warning) Tracking: x');
    assert.match(bad.tooltip, /^The tracking server ftp:\/\/x cannot be used: only http\(s\)/);
    assert.equal(storeLabel({ kind: 'failed', error: 'locked' }).text, '$(warning) Tracking');
    assert.equal(hostOf('not a url'), 'not a url');
  });

  it('keeps credentials per server origin; stored ones win over the environment, which wins over none', () => {
    assert.equal(secretKey('https://mlflow.example.com/some/path'), 'mlops.tracking.credentials:https://mlflow.example.com');
    assert.equal(secretKey('http://h:5000'), 'mlops.tracking.credentials:http://h:5000');
    const env = { MLFLOW_TRACKING_TOKEN: 'from-env' };
    assert.deepEqual(chooseCredentials(JSON.stringify({ token: 't1' }), env), { auth: { token: 't1' }, from: 'secret storage' });
    assert.deepEqual(chooseCredentials(JSON.stringify({ username: 'ann', password: '' }), env), {
      auth: { username: 'ann', password: '' },
      from: 'secret storage',
    });
    assert.deepEqual(chooseCredentials(undefined, env), { auth: { token: 'from-env' }, from: 'environment' });
    assert.deepEqual(chooseCredentials('{not json', { MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' }), {
      auth: { username: 'u', password: 'p' },
      from: 'environment',
    });
    assert.deepEqual(chooseCredentials(undefined, {}), { auth: undefined, from: 'none' });
    assert.equal(parseStoredCredentials(JSON.stringify({ token: '' })), undefined);
    assert.equal(parseStoredCredentials(JSON.stringify({ username: 'u' })), undefined);
  });

  it('remembers recent servers, newest first and without repeats, and lists the choices with the one in use', () => {
    let recent: string[] = [];
    for (const u of ['http://a', 'http://b', 'http://a', 'http://c', 'http://d', 'http://e', 'http://f'])
      recent = rememberServer(recent, u);
    assert.deepEqual(recent, ['http://f', 'http://e', 'http://d', 'http://c', 'http://a']);
    assert.equal(recent.length, RECENT_LIMIT);

    const workspace = storeChoices('', ['http://b:5000', 'http://a']);
    assert.deepEqual(
      workspace.map((c) => [c.label, c.value, c.current]),
      [
        ['$(database) Workspace database', '', true],
        ['$(cloud) b:5000', 'http://b:5000', false],
        ['$(cloud) a', 'http://a', false],
      ],
    );
    const remote = storeChoices('http://a', ['http://b', 'http://a']);
    assert.deepEqual(
      remote.map((c) => [c.value, c.current]),
      [
        ['', false],
        ['http://a', true],
        ['http://b', false],
      ],
    );
    assert.equal(remote[1]?.detail, 'http://a (in use)');
  });
});
