import * as vscode from 'vscode';
import { IGNORED_FOLDERS } from '../../../common/src';

export const PIPELINE_GLOB = '**/*.pipeline.{yaml,yml}';
const EXCLUDE_GLOB = `**/{${[...IGNORED_FOLDERS].join(',')}}/**`;

/** The workspace's pipeline files, outside the folders that are never indexed, sorted by relative path. */
export async function findPipelineFiles(): Promise<vscode.Uri[]> {
  const uris = await vscode.workspace.findFiles(PIPELINE_GLOB, EXCLUDE_GLOB);
  return uris.sort((a, b) => vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b)));
}
