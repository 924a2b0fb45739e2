package io.pinpipeline.jobs.stream.kinesis;

import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * {@code pinpipeline-kinesis}: a Spark Structured Streaming source (micro-batch) that reads a Kinesis data stream
 * with the AWS SDK v2, for open-source Spark 4 (spark-submit, EMR, local runs). On Databricks use its built-in
 * {@code kinesis} source instead; this one has its own name so that the two never meet.
 *
 * <pre>{@code
 * Dataset<Row> records = spark.readStream()
 *         .format("pinpipeline-kinesis")                      // KinesisSourceProvider.FORMAT
 *         .option("streamName", "streaming-0a1b2c3d4e5f-pin")
 *         .option("region", "us-east-1")
 *         .load();
 * records.writeStream().trigger(Trigger.AvailableNow()).foreachBatch(...).option("checkpointLocation", ...).start();
 * }</pre>
 *
 * <h2>Options</h2>
 * <table>
 *   <caption>options, names case-insensitive; any other option is an error</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code streamName}</td><td>required</td><td>the stream to read</td></tr>
 *   <tr><td>{@code region}</td><td>the SDK's region chain ({@code AWS_REGION}, profile, instance)</td>
 *       <td>the stream's region, e.g. {@code us-east-1}</td></tr>
 *   <tr><td>{@code endpointUrl}</td><td>AWS's endpoint for the region</td>
 *       <td>another endpoint, e.g. a local server {@code http://127.0.0.1:4568}</td></tr>
 *   <tr><td>{@code initialPosition}</td><td>{@code TRIM_HORIZON}</td>
 *       <td>where a query with a new checkpoint starts: {@code TRIM_HORIZON}, the oldest record kept, or
 *       {@code LATEST}, the records that arrive after the query's first start. Later starts continue from the
 *       checkpoint.</td></tr>
 *   <tr><td>{@code maxRecordsPerShardPerBatch}</td><td>no bound</td>
 *       <td>the most records one micro-batch takes from each shard; with Trigger.AvailableNow, the run then makes
 *       as many batches as it needs</td></tr>
 *   <tr><td>{@code recordsPerRequest}</td><td>10000</td><td>the Limit of each GetRecords call (1 to 10000)</td></tr>
 *   <tr><td>{@code maxRetries}</td><td>10</td>
 *       <td>how often a throttled or failed call (ProvisionedThroughputExceeded, LimitExceeded, 5xx, I/O) is
 *       tried again before the query fails</td></tr>
 *   <tr><td>{@code retryBackoffMs}</td><td>100</td><td>the first pause before a retry; it doubles, up to 10 s</td></tr>
 * </table>
 *
 * <h2>Rows</h2>
 * One per record, {@link KinesisRecordSchema}: {@code data} BINARY, {@code partitionKey}, {@code stream},
 * {@code shardId}, {@code sequenceNumber} STRING, {@code approximateArrivalTimestamp} TIMESTAMP. Within a shard,
 * a batch's rows come in sequence order; KPL-aggregated records are not split up.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Each batch's offsets name the last record taken from each shard ({@link KinesisOffset}, JSON in the
 *       checkpoint). A batch that Spark replays after a failure reads exactly the records it read before; with an
 *       idempotent sink (MERGE on a key) each record lands once.</li>
 *   <li>Resharding: closed shards are read to their end; their children are read from their start, in a later
 *       batch than the parents' last records, so that a key's records arrive in order.</li>
 *   <li>Throttling and passing errors are retried with backoff; an expired shard iterator is replaced by one that
 *       starts after the last record read.</li>
 * </ul>
 *
 * <h2>Credentials and dependencies</h2>
 * AWS's default provider chain; no secret is ever an option. With an {@code endpointUrl} on a loopback address
 * only (a local test server): the {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties or the
 * {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY} variables when set, else dummy credentials. The AWS SDK
 * v2 is not in the job jar: it comes with hadoop-aws (its SDK bundle), which open-source Spark needs for S3
 * anyway; spark-submit adds it with {@code --packages org.apache.hadoop:hadoop-aws:3.4.1}.
 *
 * <h2>Cost</h2>
 * Kinesis has no call that tells a shard's newest sequence number, so the driver reads each shard forward to
 * plan a batch and the executors read the batch's ranges again: each record is fetched twice (three times for
 * an available-now run with a per-batch bound), within Kinesis' 5 GetRecords a second per shard.
 */
public final class KinesisSourceProvider implements TableProvider, DataSourceRegister {
    /** The name for {@code format(...)}; never {@code kinesis}, which is Databricks' own source. */
    public static final String FORMAT = "pinpipeline-kinesis";

    @Override
    public String shortName() {
        return FORMAT;
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        return KinesisRecordSchema.SCHEMA;
    }

    /** Checks the options here, so that a bad one fails at {@code load()}, before the query starts. */
    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        return new KinesisTable(KinesisSourceOptions.parse(properties));
    }
}
