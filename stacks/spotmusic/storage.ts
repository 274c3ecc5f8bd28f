/**
 * spotmusic, storage tier: the web app's bucket and the audio bucket (uploads under `uploads/`, transcoded
 * audio under `audio/`), both private CloudFront origins.
 */
import { PrivateBucket } from "../../infra/storage/private-bucket";
import { AUDIO_UPLOAD_CORS, SpotmusicStep } from "./settings";

/** What later steps use of the storage tier. */
export interface StorageTier {
    /** The web app (static files), CloudFront's default origin. */
    web: PrivateBucket;
    /** Uploads (`uploads/`, written by browsers with presigned URLs) and transcoded audio (`audio/`). */
    audio: PrivateBucket;
}

/**
 * The two private buckets (versioned, access-logged to the foundation's log archive, CloudFront origins): the web
 * app keeps replaced files 30 days; audio keeps them `audioNoncurrentVersionDays`, moves to Intelligent-Tiering
 * after 30 days and accepts the web app's presigned uploads (CORS).
 */
export function storageTier(step: SpotmusicStep): StorageTier {
    const { name, settings: s, foundation, config, tags, child } = step;
    const bucketArgs = {
        ...foundation.account,
        cloudFrontOrigin: true,
        accessLogs: { bucketName: foundation.logArchive.bucketName },
        protect: config.profile.protect,
        tags,
    };
    const web = new PrivateBucket(`${name}-web`, { ...bucketArgs, lifecycle: { noncurrentVersionDays: 30 } }, child);
    const audio = new PrivateBucket(
        `${name}-audio`,
        {
            ...bucketArgs,
            lifecycle: {
                noncurrentVersionDays: s.audioNoncurrentVersionDays,
                transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" }],
            },
            cors: AUDIO_UPLOAD_CORS(s.domain.name),
        },
        child,
    );
    return { web, audio };
}
