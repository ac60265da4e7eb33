import type { Target } from './target.js';

/** Picks the target named by `--target`; loads only that target's modules. */
export async function targetOf(options: { target: 'local' | 'aws'; data: string; stack: string }): Promise<Target> {
  if (options.target === 'aws') {
    const { AwsTarget } = await import('./aws.js');
    return new AwsTarget(options.stack);
  }
  const { LocalTarget } = await import('./local.js');
  return new LocalTarget(options.data);
}
