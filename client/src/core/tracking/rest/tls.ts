import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';

/**
 * How a team's tracking server is reached over HTTPS, as MLflow's client reads it:
 * MLFLOW_TRACKING_INSECURE_TLS=true skips certificate checks; MLFLOW_TRACKING_SERVER_CERT_PATH
 * (or the editor's `mlops.tracking.caBundle`) names a PEM bundle of extra CAs to trust.
 * undici (Node's own fetch engine, as a package) is used because the global fetch takes no TLS options.
 */
export interface TlsSettings {
  readonly insecure?: boolean;
  /** Path of a PEM file of CA certificates. */
  readonly caBundle?: string;
}

export function tlsFromEnv(env: NodeJS.ProcessEnv = process.env): TlsSettings {
  const insecure = /^(1|true|yes)$/i.test(env.MLFLOW_TRACKING_INSECURE_TLS?.trim() ?? '');
  const caBundle = env.MLFLOW_TRACKING_SERVER_CERT_PATH?.trim();
  return { ...(insecure ? { insecure } : {}), ...(caBundle ? { caBundle } : {}) };
}

/** A fetch with those settings, or undefined when there are none (the global fetch then serves). */
export function tlsFetch(settings: TlsSettings): typeof fetch | undefined {
  if (!settings.insecure && !settings.caBundle) return undefined;
  let ca: string | undefined;
  if (settings.caBundle) {
    try {
      ca = readFileSync(settings.caBundle, 'utf8');
    } catch (error) {
      throw new Error(`cannot read the CA bundle ${settings.caBundle}: ${(error as Error).message}`, { cause: error });
    }
  }
  const agent = new Agent({ connect: { ...(settings.insecure ? { rejectUnauthorized: false } : {}), ...(ca ? { ca } : {}) } });
  return ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher: agent } as never)) as unknown as typeof fetch;
}
