// Writes examples/events.jsonl: a year of purchase events (2027) for the customers of
// examples/customers.csv, the same file on every run (a seeded generator, no clock).
// Usage: node scripts/example-events.mjs [customers.csv] [events.jsonl]
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { DateTime, IANAZone } from 'luxon';

const [customersFile = 'examples/customers.csv', outFile = 'examples/events.jsonl'] = process.argv.slice(2);
const YEAR = 2027;

/** mulberry32: a small seeded generator, so the file is the same on every machine. */
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rows = parse(readFileSync(customersFile, 'utf8'), { columns: true, bom: true, skip_empty_lines: true });
const random = generator(2027);
const lines = [];
const seen = new Set();
for (const row of rows) {
  // The example file has a duplicate id on purpose (the importer keeps the first row): one customer, one history.
  if (seen.has(row.id)) continue;
  seen.add(row.id);
  const orders = Number(row.orders12m) || 0;
  const spend = Number(row.spend12m) || 0;
  // About a quarter of last year's orders, at most 6: enough to show the post-purchase touches beside the cadence.
  const purchases = Math.min(6, Math.round(orders / 4 + random()));
  const zone = IANAZone.isValidZone(row.timeZone) ? row.timeZone : 'Asia/Shanghai';
  const days = Array.from({ length: purchases }, () => Math.floor(random() * 365)).sort((a, b) => a - b);
  days.forEach((day, i) => {
    const at = DateTime.fromObject(
      { year: YEAR, month: 1, day: 1, hour: 9 + Math.floor(random() * 12), minute: Math.floor(random() * 60) },
      { zone },
    ).plus({ days: day });
    const amount = Math.max(1, Math.round((spend / Math.max(orders, 1)) * (0.5 + random())));
    lines.push({
      id: `${row.id}-P${String(i + 1).padStart(2, '0')}`,
      customerId: row.id,
      type: 'purchase',
      at: at.toISO({ suppressMilliseconds: true }),
      orderId: `O-${row.id}-${YEAR}-${String(i + 1).padStart(2, '0')}`,
      amount,
    });
  });
}
lines.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id.localeCompare(b.id));
writeFileSync(outFile, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
console.log(`${outFile}: ${lines.length} purchase events for ${rows.length} customers / 条购买事件`);
