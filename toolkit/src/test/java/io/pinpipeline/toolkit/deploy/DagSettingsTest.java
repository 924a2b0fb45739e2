package io.pinpipeline.toolkit.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DagSettingsTest {
    private static final String JAR = "dbfs:/FileStore/pinterest-pipeline/jars/pinterest-jobs-0.1.0-3f2a9c1b7d4e.jar";

    @Test
    void aNewClusterOfNodes() {
        assertThat(DagSettings.dagSettingsJson(ToolkitSettings.load("dev", Map.of()), JAR)).isEqualTo("""
                {
                  "env": "dev",
                  "jar": "dbfs:/FileStore/pinterest-pipeline/jars/pinterest-jobs-0.1.0-3f2a9c1b7d4e.jar",
                  "databricks_conn_id": "databricks_default",
                  "polling_period_seconds": 30,
                  "cluster": {
                    "new_cluster": {
                      "spark_version": "17.3.x-scala2.13",
                      "node_type_id": "m5d.large",
                      "num_workers": 2
                    }
                  }
                }
                """);
    }

    @Test
    void aNewClusterFromAnInstancePoolTakesItsNodeTypeFromThePool() {
        ToolkitSettings settings = ToolkitSettings.load("prod", Map.of("databricks.cluster.instance-pool-id", "0101-120000-pool1",
                "databricks.cluster.num-workers", "4", "databricks.airflow-conn-id", "databricks_prod",
                "databricks.polling-period-seconds", "15"));
        assertThat(DagSettings.dagSettingsJson(settings, "/Volumes/main/pinterest/artifacts/jars/j.jar")).isEqualTo("""
                {
                  "env": "prod",
                  "jar": "/Volumes/main/pinterest/artifacts/jars/j.jar",
                  "databricks_conn_id": "databricks_prod",
                  "polling_period_seconds": 15,
                  "cluster": {
                    "new_cluster": {
                      "spark_version": "17.3.x-scala2.13",
                      "instance_pool_id": "0101-120000-pool1",
                      "num_workers": 4
                    }
                  }
                }
                """);
    }

    @Test
    void anExistingCluster() {
        ToolkitSettings settings = ToolkitSettings.load("local", Map.of("databricks.cluster.existing-cluster-id", "0101-120000-abcd1234"));
        assertThat(DagSettings.dagSettingsJson(settings, JAR)).isEqualTo("""
                {
                  "env": "local",
                  "jar": "dbfs:/FileStore/pinterest-pipeline/jars/pinterest-jobs-0.1.0-3f2a9c1b7d4e.jar",
                  "databricks_conn_id": "databricks_default",
                  "polling_period_seconds": 2,
                  "cluster": {
                    "existing_cluster_id": "0101-120000-abcd1234"
                  }
                }
                """);
    }

    @Test
    void stringsAreEscaped() {
        assertThat(DagSettings.dagSettingsJson(ToolkitSettings.load("dev", Map.of()), "dbfs:/a \"b\"\\c.jar"))
                .contains("\"jar\": \"dbfs:/a \\\"b\\\"\\\\c.jar\",");
    }
}
