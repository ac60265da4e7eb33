import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineOfPath, loadProgramFile, ProgramFileError } from '../../../files/program-file.js';
import { DEFAULT_CADENCE } from '../../../functions/core/programs/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'revisit-program-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('program files', () => {
  it("reads the shipped example: the rulebook's cadences, a message per tier, segment strategy and purchase step, the offers", async () => {
    // Act
    const program = await loadProgramFile('examples/program.yaml');

    // Assess
    expect(program.cadence).toEqual(DEFAULT_CADENCE);
    expect(program.cadenceTemplates).toEqual({});
    expect(program.messageRules.map((r) => [r.tier ?? r.segment, r.message])).toEqual([
      ['lost', 'lost-win-back'],
      ['new', 'new-product-guide'],
      ['diamond', 'diamond-exclusive-coupon'],
      ['gold', 'gold-member-event'],
      ['silver', 'silver-new-product-trial'],
      ['basic', 'basic-holiday-greeting'],
    ]);
    expect(program.offers.tiers.diamond?.codes).toBe('diamond-2027');
    expect(program.offers.segments.lost?.codes).toBe('winback-2027');
    expect(program.triggers).toEqual([
      {
        on: 'purchase',
        after: ['3d', '7d', '30d', '90d'],
        templates: ['purchase-arrived', 'purchase-first-week', 'purchase-first-month', 'purchase-repurchase'],
      },
    ]);
    for (const message of Object.values(program.messages)) {
      expect(Object.keys(message.sms ?? {})).toEqual(['zh-CN', 'en-US']);
      expect(Object.keys(message.email ?? {})).toEqual(['zh-CN', 'en-US']);
    }
  });

  it('reads JSON too, "_" keys as comments', async () => {
    const program = await loadProgramFile(
      file('p.json', '{"_note": "x", "id": "p", "name": "P", "cadence": {"gold": "2 per month"}}'),
    );

    expect(program.cadence.gold).toEqual({ touches: 2, per: 'month' });
  });

  it('refuses a misspelt field, naming it and its line', async () => {
    const path = file('typo.yaml', 'id: p\nname: P\ncadence:\n  gold: { touches: 1, per: month }\n  silvr: 1 per quarter\n');

    const error = await loadProgramFile(path).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProgramFileError);
    expect((error as Error).message).toMatch(/line 5 \/ 第 5 行: cadence: .*silvr/);
  });

  it('names the line of a bad cadence and the accepted forms', async () => {
    const path = file('banana.yaml', 'id: p\nname: P\ncadence:\n  gold: banana\n');

    await expect(loadProgramFile(path)).rejects.toThrow(/line 4 \/ 第 4 行: cadence.gold: use "N per PERIOD"/);
  });

  it('names the line of a JSON problem', async () => {
    const path = file(
      'bad.json',
      '{\n  "id": "p",\n  "name": "P",\n  "triggers": [\n    {"on": "purchase", "after": ["3 days"]}\n  ]\n}\n',
    );

    await expect(loadProgramFile(path)).rejects.toThrow(/line 5 \/ 第 5 行: triggers.0.after.0: a step is/);
  });

  it('refuses a message without the opt-out instruction, at its line', async () => {
    const path = file(
      'optout.yaml',
      'id: p\nname: P\nmessages:\n  hi:\n    sms:\n      zh-CN: "{{name}}您好"\n      en-US: "Hi. Reply STOP to opt out"\n',
    );

    await expect(loadProgramFile(path)).rejects.toThrow(
      /line 6 \/ 第 6 行: messages.hi.sms.zh-CN: every SMS must tell how to opt out/,
    );
  });

  it('refuses YAML that does not parse and a __proto__ key', async () => {
    await expect(loadProgramFile(file('broken.yaml', 'id: p\nname: [P\n'))).rejects.toThrow(ProgramFileError);
    await expect(loadProgramFile(file('proto.json', '{"id":"p","name":"P","__proto__":{"x":1}}'))).rejects.toThrow(/__proto__/);
  });

  it('finds the line of a path, or of its nearest parent', () => {
    const text = 'a:\n  b:\n    - x\n    - y\n';

    expect(lineOfPath(text, ['a', 'b', 1])).toBe(4);
    expect(lineOfPath(text, ['a', 'missing'])).toBe(1);
  });
});
