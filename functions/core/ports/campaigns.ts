import type { CampaignRecord } from '../records.js';

type CampaignStatus = CampaignRecord['status'];

/** Where campaigns' records (settings, status, launch) are kept. */
export interface CampaignStore {
  putCampaign(record: CampaignRecord): Promise<void>;
  /** Deletes every record of a campaign (not the suppression list, which belongs to all campaigns). */
  deleteCampaign(campaignId: string): Promise<number>;
  /** The campaign's record; may be a few seconds old (settings are read by every step). */
  getCampaign(campaignId: string): Promise<CampaignRecord | null>;
  /** The campaign's status and when its settings last changed, read now (strongly consistent): before a send. */
  getCampaignStatus(campaignId: string): Promise<Pick<CampaignRecord, 'status' | 'settingsUpdatedAt'> | null>;
  /** Changes a campaign's status only from one of `from`; false when it was in another one. */
  setCampaignStatus(
    campaignId: string,
    from: readonly CampaignStatus[],
    to: CampaignStatus,
    reason: string | null,
    at: string,
  ): Promise<boolean>;
  /**
   * Changes a campaign's settings or launch record, only while its status is one of `onlyIn` (when given):
   * false when it was in another one (or does not exist).
   */
  updateCampaign(
    campaignId: string,
    changes: Partial<Pick<CampaignRecord, 'campaign' | 'launch' | 'settingsUpdatedAt'>>,
    onlyIn?: readonly CampaignStatus[],
  ): Promise<boolean>;
  /** The id of every campaign (data subject requests look through all of them). */
  listCampaignIds(): Promise<string[]>;
}
