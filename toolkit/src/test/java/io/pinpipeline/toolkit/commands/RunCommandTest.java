package io.pinpipeline.toolkit.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.pinpipeline.jobs.settings.JobArgs;
import io.pinpipeline.jobs.settings.Settings;
import org.junit.jupiter.api.Test;

class RunCommandTest {

    @Test
    void aJobGetsItsOwnArgumentsAndNotTheToolkitsSettings() {
        String[] args = {"--date", "2024-05-01", "--set", "local.kafka-data=/data/kafka", "--set", "prefix=abc",
            "--set", "databricks.host=http://127.0.0.1:1", "--env", "local"};
        String[] own = RunCommand.withoutToolkitSettings(args);
        assertThat(own).containsExactly("--date", "2024-05-01", "--set", "prefix=abc", "--env", "local");
        // What the job is handed, it accepts: the toolkit's keys would be unknown settings to it.
        assertThat(Settings.load(JobArgs.parse(own)).prefix()).isEqualTo("abc");
        assertThat(RunCommand.withoutToolkitSettings(new String[] {"--set"})).containsExactly("--set");
    }
}
