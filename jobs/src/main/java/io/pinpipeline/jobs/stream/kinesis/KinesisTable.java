package io.pinpipeline.jobs.stream.kinesis;

import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** A Kinesis stream as a table that can only be read as a micro-batch stream. */
final class KinesisTable implements SupportsRead {
    private final KinesisSourceOptions options;

    KinesisTable(KinesisSourceOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return KinesisSourceProvider.FORMAT + ":" + options.streamName();
    }

    /** Deprecated in Spark 4.0 in favour of columns(), yet still the one a table must implement. */
    @Override
    @SuppressWarnings("deprecation")
    public StructType schema() {
        return KinesisRecordSchema.SCHEMA;
    }

    @Override
    public Set<TableCapability> capabilities() {
        return Set.of(TableCapability.MICRO_BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap scanOptions) {
        return new KinesisScan(options);
    }
}
