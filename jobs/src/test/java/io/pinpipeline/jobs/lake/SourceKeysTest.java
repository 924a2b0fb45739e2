package io.pinpipeline.jobs.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.testing.TestSpark;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class SourceKeysTest {
    private static Dataset<Row> keys(List<Long> keys) {
        return TestSpark.session().createDataset(keys, Encoders.LONG()).toDF("ind");
    }

    private static List<Long> kept(SourceKeys keys, List<Long> target) {
        return keys(target).where(keys.narrowing("ind")).as(Encoders.LONG()).collectAsList();
    }

    @Test
    void aFewKeysAreListedAndKeepOnlyThemselves() {
        SourceKeys keys = SourceKeys.of(keys(java.util.Arrays.asList(7L, 3L, null, 42L)), "ind");

        assertThat(keys.count()).isEqualTo(4);
        assertThat(keys.listed()).containsExactlyInAnyOrder(7L, 3L, 42L);
        assertThat(kept(keys, List.of(1L, 3L, 5L, 7L, 41L, 42L, 43L))).containsExactly(3L, 7L, 42L);
    }

    @Test
    void manyKeysAreTakenAsTheirRange() {
        List<Long> many = LongStream.rangeClosed(1, SourceKeys.LISTED_UP_TO + 1).map(i -> i * 2).boxed().toList();
        SourceKeys keys = SourceKeys.of(keys(many), "ind");

        assertThat(keys.listed()).isNull();
        assertThat(List.of(keys.count(), keys.min(), keys.max())).containsExactly(1001L, 2L, 2002L);
        assertThat(kept(keys, List.of(1L, 2L, 3L, 2002L, 2003L))).containsExactly(2L, 3L, 2002L);
    }

    @Test
    void noKeysMatchNothing() {
        SourceKeys keys = SourceKeys.of(keys(List.of()), "ind");

        assertThat(keys.none()).isTrue();
        assertThat(kept(keys, List.of(1L, 2L))).isEmpty();
    }
}
