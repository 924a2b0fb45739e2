package io.pinpipeline.toolkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.toolkit.commands.AirflowDemo;
import io.pinpipeline.toolkit.deploy.DagSettings;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AirflowDemoTest {
    static final String JAR = "dbfs:/FileStore/pinterest-pipeline/jars/pinterest-jobs-0.1.0-3f2a9c1b7d4e.jar";

    @Test
    void localSettingsFilePointsTheJobsAtThisHomeAndKinesisAndFailsFast() {
        String json = DagSettings.json(AirflowDemo.localDagSettings(ToolkitSettings.load("local", Map.of()), JAR, Path.of("/srv/pipeline")));
        assertThat(json).isEqualTo("""
                {
                  "env": "local",
                  "jar": "%s",
                  "databricks_conn_id": "databricks_default",
                  "polling_period_seconds": 1,
                  "cluster": {
                    "new_cluster": {
                      "spark_version": "17.3.x-scala2.13",
                      "node_type_id": "m5d.large",
                      "num_workers": 2,
                      "spark_env_vars": {
                        "PIPELINE_HOME": "/srv/pipeline",
                        "PIPELINE_KINESIS_ENDPOINT": "http://127.0.0.1:4568"
                      }
                    }
                  },
                  "retries": 0,
                  "landing_delay_minutes": 0
                }
                """.formatted(JAR));
    }

    @Test
    void anExistingClusterKeepsItsOwnEnvironment() {
        ToolkitSettings settings = ToolkitSettings.load("local", Map.of("databricks.cluster.existing-cluster-id", "0101-120000-abcd1234"));
        assertThat(AirflowDemo.localDagSettings(settings, JAR, Path.of("/srv/pipeline")).get("cluster").toString())
                .isEqualTo("{\"existing_cluster_id\":\"0101-120000-abcd1234\"}");
    }
}
