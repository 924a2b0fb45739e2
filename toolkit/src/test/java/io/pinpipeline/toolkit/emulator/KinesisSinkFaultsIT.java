package io.pinpipeline.toolkit.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.toolkit.local.LocalKinesis;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * KinesisSink against kinesis-local behind {@link FaultyKinesisProxy}, which fails whole calls and single
 * records on a fixed schedule: every record must still arrive exactly once.
 *
 * <p>The proxy reads the JSON protocol, so the SDK's CBOR is off while this class runs. The SDK reads the
 * setting at each request, so it is set before the first and put back after the last; test classes run one
 * after another in one JVM, so no other class sees it.
 */
class KinesisSinkFaultsIT {
    /** More tries than the proxy's schedule ever fails a record in a row (four). */
    private static final Backoff QUICK = new Backoff(10, Duration.ofMillis(1), Duration.ofMillis(20));
    private static final String CBOR = SdkSystemSetting.CBOR_ENABLED.property();

    private static String cborBefore;
    private static LocalKinesis kinesis;
    private static FaultyKinesisProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        cborBefore = System.getProperty(CBOR);
        System.setProperty(CBOR, "false");
        kinesis = LocalKinesis.start("us-east-1", Path.of("target/kinesis-local/KinesisSinkFaultsIT.log"));
        proxy = new FaultyKinesisProxy(kinesis.endpoint());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (kinesis != null) {
            kinesis.close();
        }
        if (cborBefore == null) {
            System.clearProperty(CBOR);
        } else {
            System.setProperty(CBOR, cborBefore);
        }
    }

    @Test
    void failedCallsAndFailedRecordsAreSentAgainUntilEachRecordIsInOnce() {
        String prefix = "faults";
        KinesisStreams.create(kinesis, prefix);
        List<Post> posts = new PostGenerator(7, LocalDate.of(2024, 5, 1)).posts(600).toList();

        SinkCounts counts;
        try (KinesisClient throughProxy = LocalKinesis.client(proxy.endpoint(), kinesis.region());
             KinesisSink sink = new KinesisSink(throughProxy, prefix, QUICK)) {
            for (int from = 0; from < posts.size(); from += 100) {
                sink.send(posts.subList(from, Math.min(posts.size(), from + 100)));
            }
            counts = sink.counts();
        }

        Map<String, List<KinesisStreams.StreamRecord>> expected = KinesisStreams.expected(posts, prefix);
        Map<String, List<KinesisStreams.StreamRecord>> read;
        try (KinesisClient direct = kinesis.client()) {
            read = KinesisStreams.read(direct, prefix);
        }
        expected.forEach((stream, records) ->
                assertThat(read.get(stream)).as(stream).containsExactlyInAnyOrderElementsOf(records));
        assertThat(FaultyKinesisProxy.faults()).allSatisfy(fault ->
                assertThat(proxy.injected(fault)).as("injected " + fault).isPositive());
        assertThat(counts.sent()).isEqualTo(1_800);
        assertThat(counts.failed()).isZero();
        assertThat(counts.retried()).isPositive();
    }
}
