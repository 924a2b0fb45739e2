package io.pinpipeline.toolkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.records.RecordKind;
import io.pinpipeline.toolkit.local.KafkaRestHandler;
import io.pinpipeline.toolkit.local.LocalGateway;
import io.pinpipeline.toolkit.testing.TestKafka;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;

/**
 * {@code ./pipeline emulate --sink kafka-rest} against the REST-proxy stand-in failing single records: the exit
 * status is 0 only when every record is in.
 */
class EmulateToKafkaRestIT {

    /** What a command printed and the status it would exit with. */
    record Exit(int status, String out, String err) {
    }

    /** Emulates 300 posts of the prefix through a gateway in front of the handler. */
    private static Exit emulate(String prefix, KafkaRestHandler handler) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (LocalGateway gateway = LocalGateway.start(0, Map.of("/topics/", handler))) {
            int status = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8)).exitStatus(new String[] {"emulate",
                    "--sink", "kafka-rest", "--url", gateway.url().toString(), "--posts", "300", "--set", "prefix=" + prefix},
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Exit(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** A handler for the prefix's topics, which it creates. */
    private static KafkaRestHandler handler(TestKafka kafka, Producer<String, String> producer, String prefix,
                                            KafkaRestHandler.Faults faults) {
        Set<String> topics = Arrays.stream(RecordKind.values()).map(kind -> kind.topic(prefix)).collect(Collectors.toSet());
        kafka.createTopics(topics);
        return new KafkaRestHandler(producer, topics, Clock.systemUTC(), faults);
    }

    @Test
    void theRunExitsZeroWhenRetriableFailuresAreSentAgainAndOneWhenARecordIsRefused() {
        try (TestKafka kafka = TestKafka.start(); Producer<String, String> producer = kafka.producer()) {
            KafkaRestHandler partial = handler(kafka, producer, "retried", new KafkaRestHandler.Faults(0.2, 0, 1));
            Exit retried = emulate("retried", partial);
            assertThat(retried.status()).as(retried.err()).isZero();
            assertThat(partial.injectedFailures()).isPositive();
            assertThat(retried.out()).contains("records sent 900, retried " + partial.injectedFailures() + ", failed 0");

            Exit refused = emulate("refused", handler(kafka, producer, "refused", new KafkaRestHandler.Faults(0, 0.05, 1)));
            assertThat(refused.status()).isEqualTo(1);
            assertThat(refused.err()).startsWith("pipeline: Kafka REST proxy, topic refused.")
                    .contains("not retriable (error_code 1): Injected failure: ")
                    .containsPattern("\\(so far: records sent \\d+, retried 0, failed [1-9]\\d*\\)");
            assertThat(refused.out()).doesNotContain("emulated");
        }
    }
}
