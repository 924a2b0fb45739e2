package io.pinpipeline.toolkit.emulator;

import io.pinpipeline.jobs.records.RecordKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Sends posts to the Kinesis streams {@code streaming-<prefix>-pin|geo|user} with {@code PutRecords} (SPEC 9):
 * each record's data is its JSON line as UTF-8, its partition key the post's {@code ind}.
 *
 * <ul>
 *   <li>A call carries at most 500 records and 5 MiB (data and partition keys), Kinesis's limits.</li>
 *   <li>Entries the response marks failed ({@code ErrorCode}, e.g. throttled shards) are sent again, those
 *       only; a call that fails as a whole is sent again if Kinesis may take it later (throttling, 5xx,
 *       connection errors), both with {@link Backoff}. Anything else (a missing stream, other 4xx) ends the
 *       run with a {@link SinkException} naming the stream.</li>
 *   <li>Order per partition key is kept: a call never holds two records of one key (a repeated post goes to
 *       the next call), and a call is complete, retries included, before the next one starts.</li>
 * </ul>
 *
 * <pre>{@code try (PostSink sink = new KinesisSink(client, "0a1b2c3d4e5f", Backoff.DEFAULT)) { sink.send(posts); }}</pre>
 */
public final class KinesisSink implements PostSink {
    /** Kinesis's limits for one PutRecords call and for one record (data and partition key). */
    static final int MAX_RECORDS = 500;
    static final int MAX_BYTES = 5 << 20;
    static final int MAX_RECORD_BYTES = 1 << 20;

    /** Throttling that the SDK's {@code isThrottlingException} does not know as such. */
    private static final Set<String> RETRYABLE_CODES = Set.of("LimitExceededException", "KMSThrottlingException");
    private static final Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final KinesisClient client;
    private final Map<RecordKind, String> streams;
    private final Backoff backoff;
    private final SinkCounts.Counter counter = new SinkCounts.Counter();

    /** Sends with {@code client} (the caller's: it sets region, endpoint and credentials, and closes it). */
    public KinesisSink(KinesisClient client, String prefix, Backoff backoff) {
        this.streams = streams(prefix);
        this.client = client;
        this.backoff = backoff;
    }

    /** The prefix's streams {@code streaming-<prefix>-<kind>}, by kind; a prefix that makes no valid name is an error. */
    static Map<RecordKind, String> streams(String prefix) {
        Map<RecordKind, String> streams = new EnumMap<>(RecordKind.class);
        for (RecordKind kind : RecordKind.values()) {
            String stream = kind.stream(prefix);
            if (!STREAM_NAME.matcher(stream).matches()) {
                throw new IllegalArgumentException("prefix: '" + prefix + "' makes '" + stream
                        + "', not a Kinesis stream name (letters, digits, '_', '.', '-', at most 128)");
            }
            streams.put(kind, stream);
        }
        return streams;
    }

    /** 500 posts make full calls: 500 records to each stream. */
    @Override
    public int batchSize() {
        return MAX_RECORDS;
    }

    @Override
    public void send(List<Post> posts) {
        for (RecordKind kind : RecordKind.values()) {
            String stream = streams.get(kind);
            for (List<PutRecordsRequestEntry> call : calls(posts, kind, stream)) {
                put(stream, call);
            }
        }
    }

    @Override
    public SinkCounts counts() {
        return counter.snapshot();
    }

    /** The client is the caller's: nothing to close here. */
    @Override
    public void close() {
    }

    /** One kind's records of the posts, in order, cut into calls within Kinesis's limits and with one record per key. */
    static List<List<PutRecordsRequestEntry>> calls(List<Post> posts, RecordKind kind, String stream) {
        List<List<PutRecordsRequestEntry>> calls = new ArrayList<>();
        List<PutRecordsRequestEntry> call = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        long bytes = 0;
        for (Post post : posts) {
            String key = Long.toString(post.ind());
            byte[] data = post.record(kind).getBytes(StandardCharsets.UTF_8);
            int size = data.length + key.getBytes(StandardCharsets.UTF_8).length;
            if (size > MAX_RECORD_BYTES) {
                throw new SinkException("Kinesis stream " + stream + ": the " + kind.label() + " record of ind " + key
                        + " is " + size + " bytes, more than Kinesis takes (1 MiB)");
            }
            if (call.size() == MAX_RECORDS || bytes + size > MAX_BYTES || keys.contains(key)) {
                calls.add(call);
                call = new ArrayList<>();
                keys.clear();
                bytes = 0;
            }
            call.add(PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromByteArrayUnsafe(data)).build());
            keys.add(key);
            bytes += size;
        }
        if (!call.isEmpty()) {
            calls.add(call);
        }
        return calls;
    }

    /** Puts the entries, sending failed ones again until all are in or a record has had all its tries. */
    private void put(String stream, List<PutRecordsRequestEntry> entries) {
        List<PutRecordsRequestEntry> pending = entries;
        for (int tries = 1; ; tries++) {
            List<PutRecordsRequestEntry> failed;
            String failure;
            try {
                List<PutRecordsRequestEntry> sending = pending;
                PutRecordsResponse response = client.putRecords(request -> request.streamName(stream).records(sending));
                failed = failedEntries(pending, response.records());
                counter.sent(pending.size() - failed.size());
                if (failed.isEmpty()) {
                    return;
                }
                failure = failed.size() + " of " + pending.size() + " records failed, e.g. "
                        + firstError(response.records());
            } catch (SdkException e) {
                if (!retryable(e)) {
                    counter.failed(pending.size());
                    throw new SinkException("Kinesis stream " + stream + ": PutRecords refused: " + describe(e), e);
                }
                failed = pending;
                failure = describe(e);
            }
            if (!backoff.mayRetry(tries)) {
                counter.failed(failed.size());
                throw new SinkException("Kinesis stream " + stream + ": " + failed.size() + " records still not in after "
                        + tries + " tries: " + failure);
            }
            counter.retried(failed.size());
            backoff.pause(tries);
            pending = failed;
        }
    }

    /** The entries whose result has an error code; results come in the order of the request's entries. */
    private static List<PutRecordsRequestEntry> failedEntries(List<PutRecordsRequestEntry> sent,
                                                              List<PutRecordsResultEntry> results) {
        if (results.size() != sent.size()) {
            throw new SinkException("PutRecords answered " + results.size() + " results for " + sent.size() + " records");
        }
        List<PutRecordsRequestEntry> failed = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            if (results.get(i).errorCode() != null) {
                failed.add(sent.get(i));
            }
        }
        return failed;
    }

    private static String firstError(List<PutRecordsResultEntry> results) {
        return results.stream()
                .filter(result -> result.errorCode() != null)
                .map(result -> result.errorCode() + ": " + result.errorMessage())
                .findFirst()
                .orElse("");
    }

    /**
     * Whether Kinesis may take the call later: throttling ({@code ProvisionedThroughputExceededException},
     * {@code LimitExceededException}, 429), a 5xx, or no answer at all (connection refused or reset, timeouts).
     */
    static boolean retryable(SdkException e) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            return service.isThrottlingException() || service.statusCode() >= 500
                    || code != null && RETRYABLE_CODES.contains(code);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        return e instanceof SdkClientException && causedByIo(e);
    }

    /** The error code and message of a Kinesis error (without the SDK's request ids), else the SDK's message. */
    private static String describe(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().errorCode() + " (" + service.statusCode() + "): "
                    + service.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }

    private static boolean causedByIo(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

}
