package io.pinpipeline.toolkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.toolkit.local.LocalSpark;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TableComparisonTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Dataset<Row> geo(Object[]... rows) {
        return spark.createDataFrame(java.util.Arrays.stream(rows).map(RowFactory::create).toList(),
                StructType.fromDDL("ind BIGINT, country STRING, coordinates ARRAY<DOUBLE>"));
    }

    @Test
    void equalRowsInAnotherOrderAreEqual() {
        assertThat(TableComparison.compare("geo",
                geo(new Object[] {1L, "Chad", List.of(1.5, 2.0)}, new Object[] {2L, null, null}),
                geo(new Object[] {2L, null, null}, new Object[] {1L, "Chad", List.of(1.5, 2.0)}))).isEmpty();
    }

    @Test
    void aDifferentTableIsAMismatchThatShowsTheRowsOfEachSide() {
        Optional<TableComparison.Mismatch> mismatch = TableComparison.compare("geo",
                geo(new Object[] {1L, "Chad", List.of(1.5, 2.0)}, new Object[] {2L, "Peru", null}),
                geo(new Object[] {1L, "Chad", List.of(1.5, 2.0000001)}, new Object[] {2L, "Peru", null}));

        assertThat(mismatch).isPresent();
        assertThat(mismatch.get().onlyInSpark().toString()).isEqualTo("[[1,Chad,ArraySeq(1.5, 2.0)]]");
        assertThat(mismatch.get().onlyInDuckDb().toString()).isEqualTo("[[1,Chad,ArraySeq(1.5, 2.0000001)]]");
        assertThat(mismatch.get().toString()).startsWith("geo: 1 distinct rows more often in Spark, 1 more often in DuckDB");
    }

    @Test
    void aRowTwiceIsNotTheRowOnce() {
        Object[] row = {1L, "Chad", null};
        Optional<TableComparison.Mismatch> mismatch = TableComparison.compare("geo", geo(row, row), geo(row));
        assertThat(mismatch).isPresent();
        assertThat(mismatch.get().onlyInSpark()).hasSize(1);
        assertThat(mismatch.get().onlyInDuckDb()).isEmpty();
    }

    @Test
    void differentColumnsAreAMismatchBeforeAnyRowIsRead() {
        Dataset<Row> narrower = geo(new Object[] {1L, "Chad", null}).selectExpr("ind", "CAST(ind AS INT) AS country");
        assertThat(TableComparison.compare("geo", geo(new Object[] {1L, "Chad", null}).select("ind", "country"), narrower))
                .hasValueSatisfying(found -> assertThat(found.problem())
                        .isEqualTo("columns differ: Spark [ind BIGINT, country STRING], DuckDB [ind BIGINT, country INT]"));
    }
}
