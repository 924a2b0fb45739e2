package io.pinpipeline.toolkit.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.toolkit.local.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void timestampsAreUtcWithAFractionOnlyWhenThereIsOne() {
        assertThat(Export.timestamp(Instant.parse("2020-08-28T03:52:47Z"))).isEqualTo("2020-08-28 03:52:47");
        assertThat(Export.timestamp(Instant.parse("2020-08-28T03:52:47.5Z"))).isEqualTo("2020-08-28 03:52:47.500000");
        assertThat(Export.timestamp(Instant.parse("1999-12-31T23:59:59.000001Z"))).isEqualTo("1999-12-31 23:59:59.000001");
    }

    @Test
    void everyColumnIsAKeyNullsAreNullArraysAreArraysRowsAreSorted(@TempDir Path dir) throws IOException {
        Dataset<Row> table = spark.createDataFrame(List.of(
                        RowFactory.create(2L, "Chad", List.of(1.5, -2.0), Instant.parse("2020-01-01T00:00:00.25Z"), LocalDate.of(2024, 5, 1), 7),
                        RowFactory.create(1L, null, null, null, null, null)),
                StructType.fromDDL("ind BIGINT, country STRING, coordinates ARRAY<DOUBLE>, timestamp TIMESTAMP,"
                        + " run_date DATE, age INT"));

        Path file = dir.resolve("t.jsonl");
        long rows = Export.write(table, file);

        assertThat(rows).isEqualTo(2);
        assertThat(Files.readAllLines(file)).containsExactly(
                "{\"ind\":1,\"country\":null,\"coordinates\":null,\"timestamp\":null,\"run_date\":null,\"age\":null}",
                "{\"ind\":2,\"country\":\"Chad\",\"coordinates\":[1.5,-2.0],\"timestamp\":\"2020-01-01 00:00:00.250000\","
                        + "\"run_date\":\"2024-05-01\",\"age\":7}");
    }
}
