package io.pinpipeline.jobs.stream.kinesis;

import java.time.Clock;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.types.StructType;

/** A read of the whole record schema; Spark prunes columns after it, so no push-down is offered. */
final class KinesisScan implements ScanBuilder, Scan {
    private final KinesisSourceOptions options;

    KinesisScan(KinesisSourceOptions options) {
        this.options = options;
    }

    @Override
    public Scan build() {
        return this;
    }

    @Override
    public StructType readSchema() {
        return KinesisRecordSchema.SCHEMA;
    }

    @Override
    public String description() {
        return KinesisSourceProvider.FORMAT + " " + options;
    }

    /** {@code checkpointLocation} is this source's own folder in the query's checkpoint. */
    @Override
    public MicroBatchStream toMicroBatchStream(String checkpointLocation) {
        InitialOffsetStore initialOffsets = new InitialOffsetStore(checkpointLocation,
                SparkSession.active().sparkContext().hadoopConfiguration());
        return new KinesisMicroBatchStream(options, SdkKinesisApi.connect(options), initialOffsets, Clock.systemUTC());
    }
}
