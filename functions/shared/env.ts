import { z } from 'zod';
import { describeIssues } from './task-handler.js';

/** Environment of the Lambda functions, parsed once per container at the entry point. */
export const baseEnvSchema = z.object({ TABLE_NAME: z.string().min(1) });

export const messagingEnvSchema = baseEnvSchema.extend({
  SES_FROM_ADDRESS: z.string().min(3),
  SES_CONFIGURATION_SET: z.string().min(1),
  PUBLIC_BASE_URL: z.string().url(),
  LINK_SECRET_ARN: z.string().min(1),
  SMS_ORIGINATION_NUMBER: z.string().optional(),
  SMS_SENDER_ID: z.string().optional(),
  /** Empty or absent: no SES receiving, replies go to the sender address. */
  SES_REPLY_TO_ADDRESS: z.string().optional(),
});

export const replyApiEnvSchema = baseEnvSchema.extend({ LINK_SECRET_ARN: z.string().min(1) });

export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`invalid environment: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
