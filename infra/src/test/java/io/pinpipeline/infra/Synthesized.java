package io.pinpipeline.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awscdk.App;

/**
 * The app of each environment, synthesized once per test JVM (jsii's start-up costs ~10 s, each synth ~2 s) with the
 * real synthesizer, cdk.json's feature flags as context and the AwsSolutions checks on, so every test class shares it.
 */
final class Synthesized {
    /** The repository root: surefire sets PIPELINE_HOME to the module's parent. */
    static final Path HOME = InfraApp.home(System.getenv());
    private static final Map<String, Synthesized> BY_ENV = new ConcurrentHashMap<>();
    private static Path work;

    final InfraSettings settings;
    final PipelineApp.Stacks stacks;
    final Path outdir;

    private Synthesized(String env) {
        Path dir = work().resolve(env);
        settings = InfraSettings.load(env, HOME, Map.of("infra.msk-connect.plugin-zip", pluginZip().toString()));
        App app = PipelineApp.app(HOME, dir);
        stacks = PipelineApp.stacks(app, settings);
        app.synth();
        outdir = dir;
    }

    static Synthesized env(String env) {
        return BY_ENV.computeIfAbsent(env, Synthesized::new);
    }

    /**
     * A stand-in for the Confluent S3 sink zip (not to be had here): a real zip file, which the stack stages as an
     * asset exactly as it would the real one.
     */
    static synchronized Path pluginZip() {
        Path zip = work().resolve("confluentinc-kafka-connect-s3-test.zip");
        if (!Files.exists(zip)) {
            try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream entries = new ZipOutputStream(out)) {
                entries.putNextEntry(new ZipEntry("confluentinc-kafka-connect-s3/manifest.json"));
                entries.write("{\"name\": \"kafka-connect-s3\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                entries.closeEntry();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return zip;
    }

    private static synchronized Path work() {
        if (work == null) {
            try {
                work = Files.createTempDirectory("infra-synth");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return work;
    }
}
