package io.pinpipeline.toolkit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DatabricksRunsTest {
    private static final Pattern OPTIONAL_VARIABLE = Pattern.compile("\\$\\{\\?([A-Za-z0-9_]+)}");

    @Test
    void aRunMaySetExactlyTheVariablesTheSettingsRead() throws IOException {
        // Tests run in the toolkit module's folder: the settings files are the jobs module's and the repository's.
        List<Path> settingsFiles = new ArrayList<>(List.of(Path.of("../jobs/src/main/resources/reference.conf")));
        try (Stream<Path> conf = Files.list(Path.of("../conf"))) {
            conf.filter(path -> path.toString().endsWith(".conf")).forEach(settingsFiles::add);
        }
        Set<String> read = new TreeSet<>();
        for (Path file : settingsFiles) {
            Matcher variable = OPTIONAL_VARIABLE.matcher(Files.readString(file));
            while (variable.find()) {
                read.add(variable.group(1));
            }
        }
        assertThat(read).contains("PIPELINE_HOME", "PIPELINE_LAKE_ROOT");
        assertThat(new TreeSet<>(DatabricksRuns.RUN_ENV_VARS)).isEqualTo(read);
    }
}
