package io.pinpipeline.toolkit.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pinpipeline.jobs.settings.Settings;
import io.pinpipeline.toolkit.settings.ToolkitSettings;

/**
 * The DAGs' settings file, {@code <dags-prefix>/pinterest_pipeline.json} in the MWAA bucket: which environment
 * the jobs run in, the jar they run, the Airflow connection to Databricks, how often to poll, and the cluster.
 * The DAG code reads exactly these keys:
 *
 * <pre>
 * {
 *   "env": "dev",
 *   "jar": "dbfs:/FileStore/pinterest-pipeline/jars/pinterest-jobs-0.1.0-3f2a9c1b7d4e.jar",
 *   "databricks_conn_id": "databricks_default",
 *   "polling_period_seconds": 30,
 *   "cluster": {"new_cluster": {"spark_version": "17.3.x-scala2.13", "node_type_id": "m5d.large", "num_workers": 2}}
 * }
 * </pre>
 *
 * With an instance pool, {@code new_cluster} has {@code instance_pool_id} instead of {@code node_type_id}
 * (Databricks takes the node type from the pool); with an existing cluster, {@code cluster} is
 * {@code {"existing_cluster_id": "..."}}.
 */
public final class DagSettings {
    /** The file's name, next to the DAG files. */
    public static final String FILE_NAME = "pinterest_pipeline.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DagSettings() {
    }

    /** The settings file for these settings and the jar's Databricks path: pretty-printed, ending in a newline. */
    public static String dagSettingsJson(ToolkitSettings settings, String jarPath) {
        return json(dagSettings(settings, jarPath));
    }

    /**
     * The settings file for a deploy onto the pipeline's stacks: as {@link #dagSettingsJson(ToolkitSettings, String)}, and a
     * new job cluster also gets the stacks' instance profile and, as {@code spark_env_vars}, the variables that
     * conf/dev.conf and conf/prod.conf read its prefix, landing and lake roots and Kafka servers from.
     */
    public static String dagSettingsJson(ToolkitSettings toolkit, String jarPath, StackOutputs outputs) {
        ObjectNode root = dagSettings(toolkit, jarPath);
        Settings settings = toolkit.jobs();
        JsonNode newCluster = root.path("cluster").path("new_cluster");
        if (newCluster instanceof ObjectNode cluster) {
            outputs.instanceProfileArn().ifPresent(arn ->
                    cluster.putObject("aws_attributes").put("instance_profile_arn", arn));
            ObjectNode variables = cluster.putObject("spark_env_vars");
            variables.put("PIPELINE_PREFIX", settings.prefix());
            variables.put("PIPELINE_LANDING_ROOT", settings.landingRoot());
            variables.put("PIPELINE_LAKE_ROOT", settings.lakeRoot());
            variables.put("PIPELINE_KAFKA_BOOTSTRAP_SERVERS", settings.kafka().bootstrapServers());
        }
        return json(root);
    }

    /** The settings file's content as a tree, for a caller that adds to it (the local DAG runs). */
    public static ObjectNode dagSettings(ToolkitSettings settings, String jarPath) {
        ToolkitSettings.Databricks databricks = settings.databricks();
        ObjectNode root = JSON.createObjectNode();
        root.put("env", settings.jobs().env());
        root.put("jar", jarPath);
        root.put("databricks_conn_id", databricks.airflowConnId());
        root.put("polling_period_seconds", databricks.pollingPeriodSeconds());
        root.set("cluster", cluster(databricks.cluster()));
        return root;
    }

    /** A settings tree as the file holds it. */
    public static String json(ObjectNode dagSettings) {
        try {
            return JSON.writer(prettyPrinter()).writeValueAsString(dagSettings) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    private static ObjectNode cluster(ToolkitSettings.Cluster cluster) {
        ObjectNode node = JSON.createObjectNode();
        if (cluster.existingClusterId().isPresent()) {
            node.put("existing_cluster_id", cluster.existingClusterId().get());
            return node;
        }
        ObjectNode newCluster = node.putObject("new_cluster");
        newCluster.put("spark_version", cluster.sparkVersion());
        if (cluster.instancePoolId().isPresent()) {
            newCluster.put("instance_pool_id", cluster.instancePoolId().get());
        } else {
            newCluster.put("node_type_id", cluster.nodeTypeId());
        }
        newCluster.put("num_workers", cluster.numWorkers());
        return node;
    }

    /** Two-space indents and {@code "key": value}, as people write JSON (Jackson's default puts a space before the colon). */
    private static DefaultPrettyPrinter prettyPrinter() {
        return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER));
    }
}
