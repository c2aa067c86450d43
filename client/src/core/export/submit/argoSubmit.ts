import { engineRequest, type EngineTarget } from './engineHttp';

// Submission to Argo Workflows through the Argo Server's API (argoproj/argo-workflows
// api/openapi-spec/swagger.json): `POST /api/v1/workflows/{namespace}` with a WorkflowCreateRequest.

export interface ArgoSubmitted {
  readonly name: string;
  readonly namespace: string;
  /** The workflow in the Argo UI. */
  readonly url: string;
}

/** Creates the Workflow; the server names it from its generateName. */
export async function submitArgoWorkflow(
  target: EngineTarget,
  workflow: Record<string, unknown>,
  namespace: string,
): Promise<ArgoSubmitted> {
  const created = await engineRequest<{ metadata?: { name?: string; namespace?: string } }>(
    target,
    'POST',
    `/api/v1/workflows/${encodeURIComponent(namespace)}`,
    { namespace, workflow },
  );
  const name = created.metadata?.name;
  if (!name) throw new Error(`${target.what} created the workflow but gave no name`);
  const ns = created.metadata?.namespace ?? namespace;
  return { name, namespace: ns, url: `${target.base}/workflows/${encodeURIComponent(ns)}/${encodeURIComponent(name)}` };
}
