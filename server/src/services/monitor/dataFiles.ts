import type { DataColumns, ParsedDocument } from '../../../../common/src';
import { isLiteralPath } from '../../../../common/src/yaml/paths';
import { monitorModel } from '../../../../common/src/monitor/model';
import type { WorkspaceEnv } from '../workspaceEnv';

/** The data files a monitor compares, with their columns: `reference`, then the first file of `current`. */
export function monitorData(doc: ParsedDocument, env: WorkspaceEnv): { path: string; data: DataColumns }[] {
  const model = monitorModel(doc);
  const out: { path: string; data: DataColumns }[] = [];
  const add = (path: string) => {
    const data = env.context.dataColumns?.(doc.uri, path);
    if (data) out.push({ path, data });
  };
  if (model.reference) add(model.reference.name);
  if (model.current) {
    if (isLiteralPath(model.current.name)) add(model.current.name);
    else {
      const first = env.context.glob?.(doc.uri, model.current.name)?.[0];
      if (first !== undefined) add(first);
    }
  }
  return out;
}
