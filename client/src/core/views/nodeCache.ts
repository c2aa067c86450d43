/**
 * Tree nodes kept per id: asking again for a node hands back the same object
 * with fresh data, because VS Code keys expansion and selection on the
 * object and its id.
 */
export class NodeCache<N extends { readonly id: string }> {
  private readonly nodes = new Map<string, N>();

  keep<M extends N>(made: M): M {
    const existing = this.nodes.get(made.id) as M | undefined;
    if (!existing) {
      this.nodes.set(made.id, made);
      return made;
    }
    Object.assign(existing, made);
    return existing;
  }

  get(id: string): N | undefined {
    return this.nodes.get(id);
  }
}
