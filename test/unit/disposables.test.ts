import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DisposableTree } from '../../client/src/ui/disposables';

describe('DisposableTree', () => {
  it('disposes children once, newest first, even when one throws', () => {
    const order: string[] = [];
    const tree = new DisposableTree();
    tree.track({ dispose: () => order.push('a') });
    tree.track({
      dispose: () => {
        order.push('b');
        throw new Error('boom');
      },
    });
    tree.track({ dispose: () => order.push('c') });
    tree.dispose();
    tree.dispose();
    assert.deepEqual(order, ['c', 'b', 'a']);
  });

  it('disposes at once what is tracked after the tree is gone', () => {
    const tree = new DisposableTree();
    tree.dispose();
    let disposed = false;
    tree.track({ dispose: () => (disposed = true) });
    assert.equal(disposed, true);
  });
});
