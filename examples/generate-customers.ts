/**
 * Writes examples/customers.csv: 200 made-up customers (about 70% zh-CN, 30% en-US) with purchase
 * histories that cover every tier and segment, plus a few bad rows that the importer must reject.
 * Deterministic: `npx tsx examples/generate-customers.ts` rewrites the same file;
 * `npx tsx examples/generate-customers.ts 100000 /tmp/customers-100k.csv` writes a bigger list the same
 * way (the benchmark's), the first 200 customers identical.
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { DateTime } from 'luxon';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { CUSTOMER_COLUMNS } from '../functions/core/customer-row.js';

const rng = xoroshiro128plus(2027);
const pick = <T>(list: readonly T[]): T => list[uniformInt(rng, 0, list.length - 1)] as T;
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '高',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '建华',
  '晓东',
  '海燕',
  '志强',
];
const FIRST = [
  'Emma',
  'Liam',
  'Olivia',
  'Noah',
  'Ava',
  'James',
  'Sophia',
  'Lucas',
  'Mia',
  'Ethan',
  'Grace',
  'Daniel',
  'Chloe',
  'Henry',
];
const LAST = ['Smith', 'Johnson', 'Brown', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Moore', 'Taylor', 'Clark', 'Lee', 'Walker'];
const CN_PREFIX = ['138', '139', '137', '150', '151', '158', '186', '187', '135', '136'];
const US_ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles'];
const US_AREAS = ['212', '312', '415', '617', '206'];
const MANAGERS = ['zhao.min', 'qian.lei', 'sun.li', 'alice.chen', 'bob.wright'].map((m) => `${m}@example.com`);
const TODAY = DateTime.fromISO('2026-12-16T00:00:00', { zone: 'Asia/Shanghai' });

const rows: Record<string, string | number>[] = [];
const count = Number(process.argv[2] ?? 200);
const file = process.argv[3] ?? new URL('./customers.csv', import.meta.url);
if (!Number.isInteger(count) || count < 10) throw new Error('usage: generate-customers.ts [count >= 10] [file]');
for (let i = 1; i <= count; i++) {
  const zh = uniformFloat64(rng) < 0.7;
  const id = `C${String(i).padStart(count > 9999 ? String(count).length : 4, '0')}`;
  const name = zh ? pick(SURNAMES) + pick(GIVEN) : `${pick(FIRST)} ${pick(LAST)}`;
  const digits = String(uniformInt(rng, 0, 99_999_999)).padStart(8, '0');
  const phone = zh
    ? `+86 ${pick(CN_PREFIX)} ${digits.slice(0, 4)} ${digits.slice(4)}`
    : `+1 ${pick(US_AREAS)}-555-01${String(uniformInt(rng, 0, 99)).padStart(2, '0')}`;
  const hasEmail = uniformFloat64(rng) < 0.8;
  const hasPhone = uniformFloat64(rng) < 0.9 || !hasEmail;
  // A long tail of spend: a few big accounts, many small ones.
  const spend12m = Math.round(Math.exp(uniformFloat64(rng) * 6 + 5));
  const monthsSinceLast = pick([0, 0, 1, 1, 2, 3, 4, 5, 7, 9, 14, 20]);
  const monthsSinceFirst = monthsSinceLast + pick([1, 2, 4, 12, 24, 40, 60]);
  const spendPrev3m = Math.round(spend12m * (0.15 + uniformFloat64(rng) * 0.2));
  const trend = pick([0.3, 0.6, 0.9, 1, 1, 1.1, 1.4]);
  rows.push({
    id,
    name,
    phone: hasPhone ? phone : '',
    email: hasEmail ? `${id.toLowerCase()}@example.${zh ? 'cn' : 'com'}` : '',
    locale: zh ? 'zh-CN' : 'en-US',
    timeZone: zh ? 'Asia/Shanghai' : pick(US_ZONES),
    accountManager: pick(MANAGERS),
    managerChain: 'head.of.service@example.com;coo@example.com',
    smsConsent: uniformFloat64(rng) < 0.92 ? 'yes' : 'no',
    emailConsent: uniformFloat64(rng) < 0.95 ? 'yes' : 'no',
    lastPurchaseAt: TODAY.minus({ months: monthsSinceLast, days: uniformInt(rng, 0, 25) }).toISODate() ?? '',
    firstPurchaseAt: TODAY.minus({ months: monthsSinceFirst }).toISODate() ?? '',
    orders12m: monthsSinceLast > 12 ? 0 : uniformInt(rng, 1, 24),
    spend12m: monthsSinceLast > 12 ? 0 : spend12m,
    spendPrev3m,
    spendLast3m: Math.round(spendPrev3m * trend),
    openComplaints: uniformFloat64(rng) < 0.05 ? 1 : 0,
    tags: pick(['', 'vip', 'wholesale', 'retail;online', 'online']),
  });
}
// Rows the importer must reject, each for a different reason.
rows.push({ ...rows[3], id: 'C0901', phone: '+86 123', email: '' });
rows.push({ ...rows[4], id: 'C0902', email: 'not-an-email' });
rows.push({ ...rows[5], id: 'C0903', timeZone: 'Mars/Olympus_Mons' });
rows.push({ ...rows[6], id: 'C0001' });
rows.push({ ...rows[7], id: 'C0904', spend12m: 'lots' });

writeFileSync(file, stringify(rows, { header: true, columns: [...CUSTOMER_COLUMNS] }));
console.log(`wrote ${rows.length} rows`);
