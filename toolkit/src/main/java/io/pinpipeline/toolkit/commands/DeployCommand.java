package io.pinpipeline.toolkit.commands;

import io.pinpipeline.toolkit.cli.Options;
import io.pinpipeline.toolkit.deploy.Deploy;
import io.pinpipeline.toolkit.deploy.StackOutputs;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code ./pipeline deploy} ({@link Deploy}); with {@code --outputs FILE} (cdk deploy's outputs file), onto the
 * resources the stacks made.
 */
public final class DeployCommand implements Command {
    @Override
    public String name() {
        return "deploy";
    }

    @Override
    public String usage() {
        return """
                  deploy   --env dev|prod [--outputs FILE]     the built job jar to Databricks (databricks.jar-folder, versioned
                                                               name), the DAGs, their settings file and mwaa-requirements.txt
                                                               to the MWAA bucket; needs DATABRICKS_TOKEN in the environment
                """;
    }

    @Override
    public void run(String[] args, PrintStream out) {
        Options options = Options.parse(args, "outputs");
        Optional<StackOutputs> outputs = Optional.ofNullable(options.option("outputs", null))
                .map(file -> StackOutputs.read(Path.of(file)));
        ToolkitSettings settings = outputs.map(o -> options.settingsWith(o.settings())).orElseGet(options::settings);
        new Deploy(settings, Repository.root(), System::getenv, out, outputs).run();
    }
}
