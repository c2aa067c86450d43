import type { StoreChange, TrackingApi } from '../tracking/repository';
import { routeChanges } from './changeRouting';
import { NodeCache } from './nodeCache';
import { registeredModels, versionsOf, type VersionRow } from './registryRows';

export type RegistryNode =
  | { readonly kind: 'model'; readonly id: string; readonly name: string; description?: string; latest: string }
  | { readonly kind: 'version'; readonly id: string; row: VersionRow }
  | { readonly kind: 'empty'; readonly id: string; readonly text: string };

/** The Model Registry tree without VS Code: models, then versions newest first; nodes kept per id. */
export class RegistryTreeModel {
  private readonly nodes = new NodeCache<RegistryNode>();

  constructor(private readonly api: () => Promise<TrackingApi | undefined>) {}

  private node<N extends RegistryNode>(made: N): N {
    return this.nodes.keep(made);
  }

  async children(parent?: RegistryNode): Promise<RegistryNode[]> {
    const api = await this.api();
    if (!api) return [];
    if (!parent) {
      return (await registeredModels(api)).map((m) =>
        this.node({
          kind: 'model',
          id: `model:${m.name}`,
          name: m.name,
          ...(m.description ? { description: m.description } : {}),
          latest: m.latest_versions
            .filter((v) => v.current_stage !== 'None' && v.current_stage !== 'Archived')
            .map((v) => `${v.current_stage} v${v.version}`)
            .join(' · '),
        }),
      );
    }
    if (parent.kind !== 'model') return [];
    const versions = await versionsOf(api, parent.name);
    if (versions.length === 0) return [this.node({ kind: 'empty', id: `${parent.id}:empty`, text: 'No versions' })];
    return versions.map((row) => this.node({ kind: 'version', id: `${parent.id}:${row.version}`, row }));
  }

  parent(node: RegistryNode): RegistryNode | undefined {
    return node.kind === 'version' ? this.nodes.get(`model:${node.row.model}`) : undefined;
  }

  /**
   * Nodes to refresh for a batch of store changes (`undefined`: the root).
   * A model's row shows the stages of its versions, so any registry change
   * refreshes from the root: the registry is small, and the ids keep
   * expanded models expanded.
   */
  applyChanges(changes: readonly StoreChange[]): (RegistryNode | undefined)[] {
    const refresh = routeChanges(changes);
    return refresh.models || refresh.modelVersions.size > 0 ? [undefined] : [];
  }
}
