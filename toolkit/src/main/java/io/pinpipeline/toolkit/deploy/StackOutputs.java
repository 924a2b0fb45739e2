package io.pinpipeline.toolkit.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What {@code cdk deploy --all --outputs-file cdk-outputs.json} wrote for the pipeline's stacks (infra/): one object a
 * stack, each output by its key. {@code ./pipeline deploy --outputs FILE} takes from it the settings that name the
 * deployed resources, and what the DAGs' job clusters need to find them:
 *
 * <pre>
 *   LandingBucketName    -> landing.root = s3://NAME        (cluster env PIPELINE_LANDING_ROOT)
 *   LakeBucketName       -> lake.root = s3://NAME           (cluster env PIPELINE_LAKE_ROOT)
 *   MwaaBucketName       -> mwaa.bucket = NAME
 *   MskBootstrapServers  -> kafka.bootstrap-servers         (cluster env PIPELINE_KAFKA_BOOTSTRAP_SERVERS)
 *   DatabricksInstanceProfileArn -> the job clusters' aws_attributes.instance_profile_arn
 * </pre>
 * {@code --set} still wins over these. The job clusters get the settings through the variables conf/dev.conf and
 * conf/prod.conf read (see {@link DagSettings}).
 */
public record StackOutputs(Map<String, String> outputs) {
    /** Output key -> setting; a bucket name becomes an s3:// root where the setting is a root. */
    private static final Map<String, String> SETTINGS = Map.of(
            "LandingBucketName", "landing.root",
            "LakeBucketName", "lake.root",
            "MwaaBucketName", "mwaa.bucket",
            "MskBootstrapServers", "kafka.bootstrap-servers");
    public static final String INSTANCE_PROFILE = "DatabricksInstanceProfileArn";

    /** Reads the outputs file; every stack's outputs together (their keys do not repeat across stacks). */
    public static StackOutputs read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw DeployException.notReady("--outputs: cannot read " + file + " as JSON (cdk deploy --outputs-file): "
                    + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw DeployException.notReady("--outputs: " + file + " is not an object of stacks");
        }
        Map<String, String> outputs = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> stacks = root.fields(); stacks.hasNext(); ) {
            stacks.next().getValue().fields().forEachRemaining(output -> {
                if (output.getValue().isTextual()) {
                    outputs.put(output.getKey(), output.getValue().asText());
                }
            });
        }
        if (!outputs.containsKey("MwaaBucketName")) {
            throw DeployException.notReady("--outputs: " + file + " has no MwaaBucketName: not the outputs of the "
                    + "pipeline's stacks (cdk deploy --all --outputs-file " + file.getFileName() + ")");
        }
        return new StackOutputs(Map.copyOf(outputs));
    }

    /** The settings these outputs give, as --set overrides. */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        SETTINGS.forEach((output, setting) -> {
            String value = outputs.get(output);
            if (value != null) {
                settings.put(setting, setting.endsWith(".root") ? "s3://" + value : value);
            }
        });
        return settings;
    }

    public Optional<String> instanceProfileArn() {
        return Optional.ofNullable(outputs.get(INSTANCE_PROFILE));
    }
}
