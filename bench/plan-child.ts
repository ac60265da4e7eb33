// Run in its own process by bench/run.ts, so that its peak memory is the plan's alone.
import { loadCampaignFile } from '../files/campaign-file.js';
import { planFromFile } from '../files/plan-files.js';

const [file, outDir] = process.argv.slice(2);
if (!file || !outDir) throw new Error('usage: plan-child.ts CUSTOMERS OUT_DIR');
const campaign = await loadCampaignFile('examples/spring-festival-2027.yaml');
const started = performance.now();
const { plan } = await planFromFile(file, campaign, outDir);
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, customers: plan.totals.customers }));
