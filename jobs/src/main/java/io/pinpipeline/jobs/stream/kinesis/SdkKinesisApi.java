package io.pinpipeline.jobs.stream.kinesis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * {@link KinesisApi} on the AWS SDK v2, with {@link Retry} around every call. The SDK's own retries are off, so
 * that there is one retry policy, with its counts in the log, rather than two multiplied.
 *
 * <p>Compiled against the SDK bundle that hadoop-aws brings (2.24.6): open-source Spark deployments that read S3
 * have it on the classpath already, so the job jar carries no SDK of its own.
 */
final class SdkKinesisApi implements KinesisApi {
    /** Not a secret: a local Kinesis-compatible server wants a signed request but checks no signature. */
    private static final AwsBasicCredentials LOOPBACK_DUMMY = AwsBasicCredentials.create("local", "local");

    private final KinesisClient client;
    private final String streamName;
    private final Retry retry;

    private SdkKinesisApi(KinesisClient client, String streamName, Retry retry) {
        this.client = client;
        this.streamName = streamName;
        this.retry = retry;
    }

    static SdkKinesisApi connect(KinesisSourceOptions options) {
        KinesisClientBuilder builder = KinesisClient.builder()
                .credentialsProvider(credentials(options))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()));
        options.region().map(Region::of).ifPresent(builder::region);
        options.endpointUrl().ifPresent(builder::endpointOverride);
        return new SdkKinesisApi(builder.build(), options.streamName(), options.retry());
    }

    /**
     * AWS's default chain (environment, system properties, profile, container or instance role) for AWS itself.
     * For an endpoint on a loopback address only, a local test server: credentials from the system properties or
     * the environment when set (kinesis-local picks its account by the key id), else dummies. The chain's
     * container and instance-role steps are skipped there: off AWS they wait for a metadata service that is not
     * there, in every task, and no AWS credential is of use to a local server anyway.
     */
    private static AwsCredentialsProvider credentials(KinesisSourceOptions options) {
        if (!options.endpointIsLoopback()) {
            return DefaultCredentialsProvider.create();
        }
        return AwsCredentialsProviderChain.builder()
                .credentialsProviders(SystemPropertyCredentialsProvider.create(),
                        EnvironmentVariableCredentialsProvider.create(),
                        StaticCredentialsProvider.create(LOOPBACK_DUMMY))
                .build();
    }

    @Override
    public List<ShardInfo> listShards() {
        List<ShardInfo> shards = new ArrayList<>();
        String nextToken = null;
        do {
            // a page after the first names only its token: the stream travels inside it
            ListShardsRequest request = nextToken == null
                    ? ListShardsRequest.builder().streamName(streamName).build()
                    : ListShardsRequest.builder().nextToken(nextToken).build();
            ListShardsResponse page = retry.call("ListShards " + streamName, () -> client.listShards(request));
            for (Shard shard : page.shards()) {
                List<String> parents = Stream.of(shard.parentShardId(), shard.adjacentParentShardId())
                        .filter(id -> id != null && !id.isEmpty())
                        .toList();
                boolean closed = shard.sequenceNumberRange() != null
                        && shard.sequenceNumberRange().endingSequenceNumber() != null;
                shards.add(new ShardInfo(shard.shardId(), parents, closed));
            }
            nextToken = page.nextToken();
        } while (nextToken != null);
        return shards;
    }

    @Override
    public String shardIterator(String shardId, ShardPosition from) {
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder()
                .streamName(streamName)
                .shardId(shardId);
        if (from.after() != null) {
            request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(from.after());
        } else if (from.atTimestamp() != null) {
            request.shardIteratorType(ShardIteratorType.AT_TIMESTAMP).timestamp(Instant.ofEpochMilli(from.atTimestamp()));
        } else {
            request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
        }
        GetShardIteratorRequest built = request.build();
        return retry.call("GetShardIterator " + streamName + "/" + shardId,
                () -> client.getShardIterator(built).shardIterator());
    }

    @Override
    public GetRecordsResponse getRecords(String shardIterator, int limit) {
        return retry.call("GetRecords " + streamName,
                () -> client.getRecords(request -> request.shardIterator(shardIterator).limit(limit)));
    }

    @Override
    public void close() {
        client.close();
    }
}
