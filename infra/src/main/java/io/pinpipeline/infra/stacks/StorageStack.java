package io.pinpipeline.infra.stacks;

import io.pinpipeline.infra.InfraSettings;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The pipeline's buckets, each encrypted (SSE-S3), public access blocked, TLS-only (a bucket policy denies plain
 * HTTP), logging its access to the access-log bucket:
 * <ul>
 *   <li>landing: what the S3 sink writes, {@code topics/<p>.<kind>/dt=YYYY-MM-DD/*.json} (SPEC 3);</li>
 *   <li>lake: silver, gold, quarantine and checkpoints (the jobs' {@code lake.root});</li>
 *   <li>MWAA: versioned (MWAA requires it, and picks up a new requirements.txt only by its version), holding
 *       {@code dags/} and {@code requirements.txt}.</li>
 * </ul>
 * The data buckets are kept when the stack is destroyed ({@code RETAIN}): {@code cdk destroy} never deletes data.
 */
public final class StorageStack extends Stack {
    /** The buckets' roles in their names: {@link InfraSettings#bucketName}. */
    public static final String LANDING = "landing";
    public static final String LAKE = "lake";
    public static final String MWAA = "mwaa";

    public final Bucket landing;
    public final Bucket lake;
    public final Bucket mwaa;

    public StorageStack(Construct scope, String id, StackProps props, InfraSettings settings) {
        super(scope, id, props);
        Bucket accessLogs = Bucket.Builder.create(this, "AccessLogsBucket")
                .bucketName(settings.bucketName("logs", getAccount(), getRegion()))
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                .lifecycleRules(java.util.List.of(LifecycleRule.builder().expiration(Duration.days(90)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Acknowledge.finding(accessLogs, "AwsSolutions-S1",
                "the access-log bucket is where the other buckets log to; logging it into itself would loop");

        landing = bucket("LandingBucket", settings.bucketName(LANDING, getAccount(), getRegion()), accessLogs, false);
        lake = bucket("LakeBucket", settings.bucketName(LAKE, getAccount(), getRegion()), accessLogs, false);
        mwaa = bucket("MwaaBucket", settings.bucketName(MWAA, getAccount(), getRegion()), accessLogs, true);

        CfnOutput.Builder.create(this, "LandingBucketName").value(landing.getBucketName())
                .description("landing.root is s3://<this>; the S3 sink writes topics/ here").build();
        CfnOutput.Builder.create(this, "LakeBucketName").value(lake.getBucketName())
                .description("lake.root is s3://<this>").build();
        CfnOutput.Builder.create(this, "MwaaBucketName").value(mwaa.getBucketName())
                .description("mwaa.bucket: ./pipeline deploy writes dags/ and requirements.txt here").build();
    }

    /**
     * One of these buckets as another stack sees it: by its name, which that stack builds from its own account and
     * region, so no cross-stack reference (and no export that would pin the bucket) is needed. The caller's stack
     * depends on this one, so the bucket exists first.
     */
    public IBucket in(Stack stack, InfraSettings settings, String role) {
        stack.addStackDependency(this, "its buckets come first");
        return Bucket.fromBucketName(stack, capitalized(role) + "Bucket",
                settings.bucketName(role, stack.getAccount(), stack.getRegion()));
    }

    private static String capitalized(String role) {
        return Character.toUpperCase(role.charAt(0)) + role.substring(1);
    }

    private Bucket bucket(String id, String name, Bucket accessLogs, boolean versioned) {
        return Bucket.Builder.create(this, id)
                .bucketName(name)
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(versioned)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix(id + "/")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }
}
