import * as vscode from 'vscode';
import { parseParamValue } from '../../core/runner';
import type { ParamSpec, ParamValue } from '../../core/runner/types';
import { paramQuestion } from './paramChoices';

/**
 * Asks for every param in turn: a QuickPick for enum and bool params, an
 * InputBox checked with the runner's own parser for the others, defaults
 * prefilled. Undefined when the user pressed Esc at any of them.
 */
export async function askParams(specs: readonly ParamSpec[]): Promise<Record<string, ParamValue> | undefined> {
  const values: Record<string, ParamValue> = {};
  for (const [index, spec] of specs.entries()) {
    const question = paramQuestion(spec, index, specs.length);
    if (question.kind === 'pick') {
      const picked = await vscode.window.showQuickPick(
        question.choices.map((c) => ({ ...c })),
        { title: question.title, placeHolder: spec.description ?? `${spec.name} (${spec.type})`, ignoreFocusOut: true },
      );
      if (!picked) return undefined;
      values[spec.name] = picked.value;
      continue;
    }
    const text = await vscode.window.showInputBox({
      title: question.title,
      value: question.value,
      prompt: question.prompt,
      ignoreFocusOut: true,
      validateInput: (input) => {
        const result = parseParamValue(spec, input);
        return 'error' in result ? result.error : undefined;
      },
    });
    if (text === undefined) return undefined;
    const result = parseParamValue(spec, text);
    if ('error' in result) return undefined; // validateInput keeps a bad value from being accepted
    values[spec.name] = result.value;
  }
  return values;
}
