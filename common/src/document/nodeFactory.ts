/**
 * The `yaml` package's node classes, made without their constructors. Each
 * constructor gives the new node its identity (a symbol that `isScalar`,
 * `isMap`, `isPair`… read) and a collection its schema with
 * `Object.defineProperty`, which costs more than the rest of making the node:
 * for the 300,000 nodes of a 5,000-step pipeline, tens of milliseconds and as
 * many again in garbage collection. Here both live on a prototype shared by
 * every node of a kind (below the class's own, so `instanceof`, the methods
 * and the type guards work as for the package's nodes); a node gets only the
 * fields the constructor sets. ./blockReader.ts makes its nodes here;
 * test/unit/blockReader.test.ts compares them with the package's.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq, type Node, type Schema } from 'yaml';

/** A prototype below `sample`'s class's, holding `sample`'s own symbol-keyed properties (its identity) and `schema`. */
function prototypeLike(sample: object, schema?: Schema): object {
  const proto = Object.create(Object.getPrototypeOf(sample) as object) as object;
  for (const key of Object.getOwnPropertySymbols(sample)) Object.defineProperty(proto, key, Object.getOwnPropertyDescriptor(sample, key)!);
  if (schema) Object.defineProperty(proto, 'schema', { value: schema, configurable: true, enumerable: false, writable: true });
  return proto;
}

export class NodeFactory {
  private readonly scalarProto = prototypeLike(new Scalar(null));
  private readonly pairProto = prototypeLike(new Pair(null));
  private readonly mapProto: object;
  private readonly seqProto: object;

  constructor(schema: Schema) {
    this.mapProto = prototypeLike(new YAMLMap(schema), schema);
    this.seqProto = prototypeLike(new YAMLSeq(schema), schema);
  }

  scalar<T>(value: T): Scalar<T> {
    const node = Object.create(this.scalarProto) as Scalar<T>;
    node.value = value;
    return node;
  }

  pair(key: Node, value: Node): Pair<Node, Node> {
    const node = Object.create(this.pairProto) as Pair<Node, Node>;
    node.key = key;
    node.value = value;
    return node;
  }

  map(): YAMLMap {
    const node = Object.create(this.mapProto) as YAMLMap;
    node.items = [];
    return node;
  }

  seq(): YAMLSeq {
    const node = Object.create(this.seqProto) as YAMLSeq;
    node.items = [];
    return node;
  }
}
