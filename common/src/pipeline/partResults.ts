import type { ModelPart, PipelineModel } from './model';

/**
 * Per-part results that depend only on the part and on the names the pipeline
 * declares (does a reference resolve? does every edge run forward?). A step's
 * part is the same object from version to version while its text is (see
 * stepModel.ts), and so is the model's `declarations` while the declared
 * names are: after an edit that declares nothing new, only the edited step is
 * looked at again.
 */
export class PartResults<T> {
  private readonly results = new WeakMap<ModelPart, { readonly declarations: object; readonly value: T }>();

  of(model: PipelineModel, part: ModelPart, compute: () => T): T {
    const known = this.results.get(part);
    if (known && known.declarations === model.declarations) return known.value;
    const value = compute();
    this.results.set(part, { declarations: model.declarations, value });
    return value;
  }
}
