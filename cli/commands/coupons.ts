import type { Command } from 'commander';
import { z } from 'zod';

const importOptions = z.object({ data: z.string(), out: z.string(), pool: z.string().optional() });

/** `coupons import`: coupon codes for `{{offer.code}}` (issue 16), one per customer, on the local data folder. */
export function registerCoupons(program: Command): void {
  const coupons = program
    .command('coupons')
    .description('coupon codes for {{offer.code}}: each code goes to one customer, once / 优惠券码：一码一客');

  coupons
    .command('import')
    .description(
      'load the codes of a file into their pools (a code already loaded is not added again); bad lines to rejected-codes.csv / 导入券码',
    )
    .argument('<file>', 'CSV with a header row naming pool and code, or one code per line with --pool / 券码文件')
    .option('--pool <name>', 'the pool of a file of one code per line / 券池名（每行一个券码时）')
    .option('--data <dir>', 'DynamoDB Local data folder, shared with the runs / 数据目录', '.revisit')
    .option('--out <dir>', 'folder for rejected-codes.csv / 输出目录', 'out')
    .action(async (file: string, raw: unknown) => {
      const options = importOptions.parse(raw);
      const { InvalidArgumentError } = await import('commander');
      const { couponPoolSchema } = await import('../../functions/core/schemas.js');
      if (options.pool !== undefined && !couponPoolSchema.safeParse(options.pool).success)
        throw new InvalidArgumentError(`--pool: ${couponPoolSchema.safeParse(options.pool).error?.issues[0]?.message}`);
      const { readable } = await import('../profile-stores.js');
      await readable(file);
      const { importCodesInto } = await import('../../files/coupon-files.js');
      const { dynamoDbCouponStore } = await import('../../functions/adapters/dynamodb/coupon-store.js');
      const { withIdleDataFolder } = await import('../targets/local.js');
      const { LOCAL_TABLE } = await import('../../local/runtime.js');
      const result = await withIdleDataFolder(options.data, 'import coupon codes', (runtime) =>
        importCodesInto(dynamoDbCouponStore(runtime.ddb.client, LOCAL_TABLE), { file, pool: options.pool, outDir: options.out }),
      );
      console.log(
        [
          ...result.pools.map(
            (p) =>
              `coupons import: pool ${p.pool}: ${p.added} added, ${p.already} already loaded; ${p.codes} codes, ${p.assigned} handed out, ${p.codes - p.assigned} left / 新增 ${p.added}，已有 ${p.already}，剩余 ${p.codes - p.assigned}`,
          ),
          `rejected lines / 被拒行: ${result.rejected} (${options.out}/rejected-codes.csv)`,
        ].join('\n'),
      );
    });
}
