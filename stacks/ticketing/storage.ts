/** ticketing, storage tier: the assets bucket (receipts and ticket images). */
import { PrivateBucket } from "../../infra/storage/private-bucket";
import { TicketingStep } from "./settings";

/** What later steps use of the storage tier. */
export interface StorageTier {
    /** Receipts (`receipts/`) and ticket images (`tickets/`), versioned, encrypted with the data key. */
    assets: PrivateBucket;
}

/** The storage tier: the private, versioned assets bucket with access logs to the log archive. */
export function storageTier(step: TicketingStep): StorageTier {
    const { name, settings: s, foundation, config, tags, child } = step;
    const assets = new PrivateBucket(
        `${name}-assets`,
        {
            ...foundation.account,
            kmsKeyArn: foundation.keys.keyArns.data,
            accessLogs: { bucketName: foundation.logArchive.bucketName },
            lifecycle: { noncurrentVersionDays: s.assetsNoncurrentVersionDays },
            protect: config.profile.protect,
            tags,
        },
        child,
    );
    return { assets };
}
