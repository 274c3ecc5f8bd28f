/**
 * spotmusic, messaging tier: the jobs queue (SQS with a dead-letter queue) web-api sends transcoding jobs to and
 * workers consume.
 */
import { QueueWithDlq } from "../../infra/messaging/queue";
import { SpotmusicStep } from "./settings";

/** What later steps use of the messaging tier. */
export interface MessagingTier {
    /** The jobs queue and its DLQ, encrypted with the foundation's messaging key. */
    jobs: QueueWithDlq;
}

/** The jobs queue: a job stays invisible to other workers for `jobVisibilityTimeoutSeconds` while one works on it. */
export function messagingTier(step: SpotmusicStep): MessagingTier {
    const { name, settings: s, foundation, config, tags, child } = step;
    const jobs = new QueueWithDlq(
        `${name}-jobs`,
        {
            region: config.region,
            kmsKeyArn: foundation.keys.keyArns.messaging,
            visibilityTimeoutSeconds: s.jobVisibilityTimeoutSeconds,
            tags,
        },
        child,
    );
    return { jobs };
}
