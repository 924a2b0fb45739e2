package io.pinpipeline.jobs.stream.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KinesisOffsetTest {
    private static final String SEQUENCE = "49590338271490256608559692538361571095921575989136588898";

    @Test
    void jsonRoundTripKeepsEveryKindOfPosition() {
        KinesisOffset offset = KinesisOffset.EMPTY
                .with("shardId-000000000000", ShardPosition.closedAfter(SEQUENCE))
                .with("shardId-000000000001", ShardPosition.after("98"))
                .with("shardId-000000000002", ShardPosition.TRIM_HORIZON)
                .with("shardId-000000000003", ShardPosition.atTimestamp(1_700_000_000_123L))
                .with("shardId-000000000004", ShardPosition.closedAfter(null));

        String json = offset.json();

        assertThat(json).isEqualTo("{"
                + "\"shardId-000000000000\":{\"after\":\"" + SEQUENCE + "\",\"closed\":true},"
                + "\"shardId-000000000001\":{\"after\":\"98\",\"closed\":false},"
                + "\"shardId-000000000002\":{\"after\":null,\"closed\":false},"
                + "\"shardId-000000000003\":{\"after\":null,\"closed\":false,\"atTimestamp\":1700000000123},"
                + "\"shardId-000000000004\":{\"after\":null,\"closed\":true}}");
        KinesisOffset back = KinesisOffset.fromJson(json);
        assertThat(back.shards()).isEqualTo(offset.shards());
        assertThat(back).isEqualTo(offset);
    }

    @Test
    void jsonIsCanonicalSoThatSparkSeesEqualOffsetsAsEqual() {
        Map<String, ShardPosition> oneOrder = new LinkedHashMap<>();
        oneOrder.put("shardId-000000000001", ShardPosition.after("100"));
        oneOrder.put("shardId-000000000000", ShardPosition.after("99"));
        Map<String, ShardPosition> otherOrder = new LinkedHashMap<>();
        otherOrder.put("shardId-000000000000", ShardPosition.after("99"));
        otherOrder.put("shardId-000000000001", ShardPosition.after("100"));

        assertThat(KinesisOffset.of(oneOrder).json()).isEqualTo(KinesisOffset.of(otherOrder).json());
        // Spark's Offset.equals compares json(); whitespace and field order in a checkpoint file do not matter
        assertThat(KinesisOffset.fromJson(" { \"shardId-000000000000\" : { \"closed\" : false , \"after\" : \"99\" } ,"
                + " \"shardId-000000000001\" : { \"after\" : \"100\" , \"closed\" : false } } "))
                .isEqualTo(KinesisOffset.of(oneOrder));
    }

    @Test
    void aShardNotNamedStartsAtTheTrimHorizon() {
        assertThat(KinesisOffset.EMPTY.json()).isEqualTo("{}");
        assertThat(KinesisOffset.fromJson("{}").position("shardId-000000000007")).isEqualTo(ShardPosition.TRIM_HORIZON);
    }

    @Test
    void badJsonIsRejectedWithWhatIsWrong() {
        assertThatThrownBy(() -> KinesisOffset.fromJson("[1]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> KinesisOffset.fromJson("{\"shardId-0\": {\"after\": 5, \"closed\": false}}"))
                .hasMessageContaining("shard shardId-0 needs");
        assertThatThrownBy(() -> KinesisOffset.fromJson("{\"shardId-0\": {\"after\": \"12x\", \"closed\": false}}"))
                .hasMessageContaining("not a sequence number: '12x'");
        assertThatThrownBy(() -> KinesisOffset.fromJson("{\"shardId-0\": {\"after\": null}}"))
                .hasMessageContaining("shard shardId-0 needs");
        assertThatThrownBy(() -> KinesisOffset.fromJson("{\"shardId-0\": "))
                .hasMessageContaining("not JSON");
    }

    @Test
    void sequenceNumbersCompareAsNumbersNotAsText() {
        assertThat(ShardPosition.compare("99", "100")).isNegative();
        assertThat(ShardPosition.compare(SEQUENCE, "99")).isPositive();
        assertThat(ShardPosition.compare("100", "100")).isZero();
    }

    @Test
    void advancingKeepsTheStartUntilARecordIsRead() {
        ShardPosition fromTime = ShardPosition.atTimestamp(5L);

        assertThat(fromTime.advancedTo(null, false)).isEqualTo(fromTime);
        assertThat(fromTime.advancedTo("98", false)).isEqualTo(ShardPosition.after("98"));
        assertThat(fromTime.advancedTo(null, true)).isEqualTo(ShardPosition.closedAfter(null));
        assertThat(ShardPosition.after("98").advancedTo(null, true)).isEqualTo(ShardPosition.closedAfter("98"));
    }
}
