package io.pinpipeline.toolkit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalAirflowTest {
    @TempDir
    Path repository;

    @Test
    void theConnectionIsWhatTheDatabricksProviderBuildsItsUrlsFrom() {
        // The provider calls {schema}://{host}:{port}/api/2.2/...: a plain HTTP workspace on loopback.
        assertThat(LocalAirflow.connection(URI.create("http://127.0.0.1:8089"), "dapi0123")).isEqualTo(
                "{\"conn_type\":\"databricks\",\"host\":\"127.0.0.1\",\"port\":8089,\"schema\":\"http\",\"password\":\"dapi0123\"}");
    }

    @Test
    void withoutTheVirtualenvItSaysHowToGetOne() {
        assertThatThrownBy(() -> LocalAirflow.prepare(repository, repository.resolve("work"),
                URI.create("http://127.0.0.1:1"), "dapi0123", "{}"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no Airflow at " + repository.resolve(".venv/bin/airflow") + ": run ./pipeline airflow-setup first");
    }
}
