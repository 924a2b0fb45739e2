package io.pinpipeline.toolkit.deploy;

import io.pinpipeline.toolkit.files.FileTree;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Writes what MWAA reads from its bucket: the DAG folder (without its tests and Python caches), the DAGs' settings
 * file beside it, and the requirements file. Each object is written whole with PutObject; with versioning on (MWAA
 * requires it) each write is a new version and S3 returns its id.
 */
final class DagUpload implements AutoCloseable {
    private final S3Client s3;
    private final String bucket;

    DagUpload(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * A client from the default AWS credentials chain (environment, profile, instance or task role) in mwaa.region; with
     * mwaa.s3-endpoint, that S3-compatible server, addressed path-style (no bucket-name DNS on loopback).
     */
    static DagUpload to(ToolkitSettings.Mwaa mwaa, String bucket) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(mwaa.region()))
                .credentialsProvider(DefaultCredentialsProvider.create());
        mwaa.s3Endpoint().ifPresent(endpoint -> builder.endpointOverride(endpoint).forcePathStyle(true));
        return new DagUpload(builder.build(), bucket);
    }

    /** One object written: {@code s3://bucket/key}, its size, and the version id when the bucket keeps versions. */
    public record Written(String bucket, String key, long size, Optional<String> versionId) {
        String uri() {
            return "s3://" + bucket + "/" + key;
        }
    }

    /**
     * The files of the DAG folder that Airflow needs, relative to it with '/' separators, sorted: everything except
     * {@code tests/}, {@code __pycache__/} and {@code *.pyc} (MWAA would parse test modules as DAG files).
     */
    static List<String> dagFiles(Path dagsDir) {
        return FileTree.regularFiles(dagsDir).stream()
                .map(path -> dagsDir.relativize(path).toString().replace('\\', '/'))
                .filter(DagUpload::isDeployed)
                .sorted()
                .toList();
    }

    private static boolean isDeployed(String relative) {
        List<String> parts = List.of(relative.split("/"));
        return !parts.get(0).equals("tests") && !parts.contains("__pycache__") && !relative.endsWith(".pyc");
    }

    /** Every deployed file of the DAG folder to {@code <prefix>/<its relative path>}. */
    List<Written> putDags(Path dagsDir, String prefix) {
        List<Written> written = new ArrayList<>();
        for (String relative : dagFiles(dagsDir)) {
            written.add(put(prefix + "/" + relative, dagsDir.resolve(relative)));
        }
        return written;
    }

    Written put(String key, Path file) {
        try {
            return put(key, Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    Written put(String key, String text) {
        return put(key, text.getBytes(StandardCharsets.UTF_8));
    }

    private Written put(String key, byte[] bytes) {
        try {
            PutObjectResponse response = s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
            return new Written(bucket, key, bytes.length, Optional.ofNullable(response.versionId())
                    .filter(id -> !id.isEmpty() && !id.equals("null")));
        } catch (SdkException e) {
            throw DeployException.failed("writing s3://" + bucket + "/" + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
