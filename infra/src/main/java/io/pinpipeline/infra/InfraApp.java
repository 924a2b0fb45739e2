package io.pinpipeline.infra;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;

/**
 * The CDK app's main: {@code ./pipeline infra synth [--env dev|prod] [--out DIR] [--set key=value]}, or the CDK CLI
 * through cdk.json ({@code cdk synth|deploy -c env=prod}). Writes the cloud assembly (one template a stack) and
 * prints where each template went.
 *
 * <p>The repository root is {@code PIPELINE_HOME}, or the nearest folder up from the working directory that holds
 * {@code mwaa-requirements.txt} (the CLI runs the app in {@code infra/}). The output folder is {@code --out}, else
 * the CLI's {@code CDK_OUTDIR}, else {@code infra/cdk.out}.
 */
public final class InfraApp {
    private InfraApp() {
    }

    public static void main(String[] args) {
        try {
            run(args, System.getenv(), System.out);
        } catch (InfraSettingsException e) {
            System.err.println("pipeline: infra: " + e.getMessage());
            System.exit(2);
        }
    }

    /** What the command line asks for. */
    record Arguments(String env, Path out, Map<String, String> overrides) {
    }

    static List<Path> run(String[] args, Map<String, String> environment, PrintStream out) {
        Path home = home(environment);
        Arguments arguments = parse(args, home, environment);
        InfraSettings settings = InfraSettings.load(arguments.env(), home, arguments.overrides());
        CloudAssembly assembly = PipelineApp.synth(settings, arguments.out());
        List<Path> templates = new ArrayList<>();
        for (CloudFormationStackArtifact stack : assembly.getStacks()) {
            Path template = Path.of(assembly.getDirectory()).resolve(stack.getTemplateFile());
            templates.add(template);
            out.println(stack.getStackName() + ": " + template);
        }
        out.println("infra: " + templates.size() + " stacks of env " + settings.env() + " (prefix " + settings.prefix()
                + ") synthesized to " + assembly.getDirectory());
        return templates;
    }

    static Arguments parse(String[] args, Path home, Map<String, String> environment) {
        String env = "dev";
        Path out = environment.containsKey("CDK_OUTDIR") ? Path.of(environment.get("CDK_OUTDIR"))
                : home.resolve("infra").resolve("cdk.out");
        Map<String, String> overrides = new LinkedHashMap<>();
        String contextEnv = cliContextEnv(environment);
        if (contextEnv != null) {
            env = contextEnv;
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length || !List.of("--env", "--out", "--set").contains(arg)) {
                throw new InfraSettingsException("unknown argument '" + arg
                        + "' (usage: infra synth [--env dev|prod] [--out DIR] [--set key=value]...)");
            }
            String value = args[++i];
            switch (arg) {
                case "--env" -> env = value;
                case "--out" -> out = Path.of(value).toAbsolutePath();
                default -> {
                    int equals = value.indexOf('=');
                    if (equals <= 0) {
                        throw new InfraSettingsException("--set: '" + value + "' is not key=value");
                    }
                    overrides.put(value.substring(0, equals).trim(), value.substring(equals + 1));
                }
            }
        }
        return new Arguments(env, out, overrides);
    }

    /** {@code cdk deploy -c env=prod}: the CLI hands its context to the app as CDK_CONTEXT_JSON. */
    private static String cliContextEnv(Map<String, String> environment) {
        String json = environment.get("CDK_CONTEXT_JSON");
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            var env = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get("env");
            return env != null && env.isTextual() ? env.asText() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static Path home(Map<String, String> environment) {
        String configured = environment.get("PIPELINE_HOME");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(InfraSettings.MWAA_REQUIREMENTS))) {
                return dir;
            }
        }
        throw new InfraSettingsException("cannot find the repository root (no " + InfraSettings.MWAA_REQUIREMENTS
                + " here or above): set PIPELINE_HOME");
    }
}
