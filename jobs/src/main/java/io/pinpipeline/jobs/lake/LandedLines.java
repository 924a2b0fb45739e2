package io.pinpipeline.jobs.lake;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a batch run found in the landing zone: the lines of its files ({@code raw, source}), the folders it
 * looked in, and the files it did not read (not {@code *.json} or {@code *.json.gz}, or hidden).
 */
public record LandedLines(Dataset<Row> lines, List<String> folders, List<String> skippedFiles) {
}
