import { fileURLToPath } from 'node:url';

/** The state machines, as ASL files with `${...}` placeholders. */
export type WorkflowName = 'lifecycle' | 'campaign' | 'program';

/**
 * The one place both engines find a state machine's definition: CDK loads this file with
 * DefinitionBody.fromFile, the local engine reads the very same file. No aws-cdk-lib import here.
 */
export function workflowFile(name: WorkflowName): string {
  return fileURLToPath(new URL(`../workflows/${name}.asl.json`, import.meta.url));
}
