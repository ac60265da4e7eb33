import { readFileSync } from 'node:fs';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

/** The rules live in the config, each with the reason for it; `npm run check:imports` runs the same cruise. */
const CONFIG = '.dependency-cruiser.cjs';

/** The folders cruised, read from `check:imports` so that the CLI and this test cannot drift apart. */
function foldersOfCheckImports(): string[] {
  const manifest: { scripts: Record<string, string> } = JSON.parse(readFileSync('package.json', 'utf8'));
  const script = manifest.scripts['check:imports'] ?? '';
  return script.split(/\s+/).filter((word) => word !== 'depcruise' && word !== CONFIG && !word.startsWith('-'));
}

function describeViolation(violation: IViolation): string {
  const through = violation.cycle ? ` (cycle: ${violation.cycle.map((step) => step.name).join(' -> ')})` : '';
  return `${violation.rule.name}: ${violation.from} -> ${violation.to}${through}`;
}

describe('import rules (.dependency-cruiser.cjs)', () => {
  it('finds no import that breaks a layer rule, and no cycle', async () => {
    // Prepare
    const folders = foldersOfCheckImports();
    const options = await extractDepcruiseOptions(`./${CONFIG}`);

    // Act
    const { output } = await cruise(folders, options, {}, { tsConfig: extractTSConfig('tsconfig.json') });
    const { summary } = output as ICruiseResult;

    // Assess
    expect(folders).toEqual(expect.arrayContaining(['functions', 'cli', 'files', 'local', 'infra', 'bench']));
    expect(summary.totalCruised).toBeGreaterThan(100);
    expect(summary.violations.map(describeViolation)).toEqual([]);
  });
});
