package io.pinpipeline.toolkit.deploy;

import io.pinpipeline.toolkit.local.Loopback;
import io.pinpipeline.toolkit.settings.ToolkitSettings;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code ./pipeline deploy --env ENV}: the built job jar to Databricks under its immutable versioned name (see
 * {@link JobJar}), then to the MWAA bucket the DAG folder, the DAGs' settings file naming that jar (see
 * {@link DagSettings}) and the requirements file.
 *
 * <p>Everything it needs is checked before anything is sent: databricks.host, mwaa.bucket, the built jar, the DAG
 * folder and requirements file under the repository root, and DATABRICKS_TOKEN. The token comes only from the
 * environment, is handed to the Databricks client and nowhere else (never printed). AWS credentials come from the
 * default provider chain. Neither travels in clear text: databricks.host and mwaa.s3-endpoint (whose requests carry
 * the AWS credentials' access key, signatures and any session token) must be https, or plain http to loopback only.
 */
public final class Deploy {
    public static final String TOKEN_VARIABLE = "DATABRICKS_TOKEN";
    /** Where ./pipeline build leaves the job jar, under the repository root. */
    public static final String JAR = "jobs/target/pinterest-jobs.jar";
    public static final String DAGS = "dags";
    public static final String REQUIREMENTS = "mwaa-requirements.txt";

    private final ToolkitSettings settings;
    private final Path home;
    private final Function<String, String> environment;
    private final PrintStream out;
    private final Optional<StackOutputs> stackOutputs;

    /**
     * @param home the repository root, where {@value #DAGS}/, {@value #REQUIREMENTS} and {@value #JAR} are
     * @param environment looks up environment variables (System::getenv; tests pass their own)
     */
    public Deploy(ToolkitSettings settings, Path home, Function<String, String> environment, PrintStream out) {
        this(settings, home, environment, out, Optional.empty());
    }

    /**
     * @param stackOutputs the outputs of the pipeline's CDK stacks ({@code --outputs FILE}): {@code settings} already
     *     hold what they name, and the DAGs' job clusters get the instance profile and those settings from them
     */
    public Deploy(ToolkitSettings settings, Path home, Function<String, String> environment, PrintStream out,
                  Optional<StackOutputs> stackOutputs) {
        this.settings = settings;
        this.home = home;
        this.environment = environment;
        this.out = out;
        this.stackOutputs = stackOutputs;
    }

    /** What a deploy did: the jar (uploaded or already there) and every S3 object it wrote, in order. */
    public record Result(JarUpload.Outcome jar, List<DagUpload.Written> objects) {
    }

    public Result run() {
        URI host = settings.databricks().host().orElseThrow(() -> DeployException.notReady(
                "setting databricks.host is empty: set DATABRICKS_HOST to the workspace URL (or --set databricks.host=URL)"));
        requireEncrypted("databricks.host", host, "the Databricks token");
        String bucket = settings.mwaa().bucket().orElseThrow(() -> DeployException.notReady(
                "setting mwaa.bucket is empty: set PIPELINE_MWAA_BUCKET to the MWAA environment's bucket (or --set mwaa.bucket=NAME)"));
        settings.mwaa().s3Endpoint().ifPresent(endpoint -> requireEncrypted("mwaa.s3-endpoint", endpoint,
                "the AWS credentials' signed requests"));
        Path jarFile = home.resolve(JAR);
        if (!Files.isRegularFile(jarFile)) {
            throw DeployException.notReady("no job jar at " + jarFile + ": run ./pipeline build first");
        }
        Path dags = home.resolve(DAGS);
        if (!Files.isDirectory(dags)) {
            throw DeployException.notReady("no DAG folder at " + dags);
        }
        Path requirements = home.resolve(REQUIREMENTS);
        if (!Files.isRegularFile(requirements)) {
            throw DeployException.notReady("no " + REQUIREMENTS + " at " + requirements + " (MWAA's requirements.txt)");
        }
        String token = environment.apply(TOKEN_VARIABLE);
        if (token == null || token.isBlank()) {
            throw DeployException.notReady(TOKEN_VARIABLE + " is not set: deploy needs a Databricks personal access token "
                    + "for " + host + " in the environment (never in settings)");
        }

        JobJar jar = JobJar.of(jarFile);
        JarUpload.Outcome outcome = JarUpload.to(host, token.trim()).upload(jar, settings.databricks().jarFolder());
        if (outcome.uploaded()) {
            out.printf("jar: uploaded %s (%d bytes) to %s%n", outcome.path(), jar.size(), host);
        } else {
            out.printf("jar: %s is already there with the same size (the name carries the SHA-256): upload skipped%n",
                    outcome.path());
        }

        String dagsPrefix = settings.mwaa().dagsPrefix();
        List<DagUpload.Written> written = new ArrayList<>();
        try (DagUpload s3 = DagUpload.to(settings.mwaa(), bucket)) {
            // The DAG files first, the settings file that points them at the new jar after them.
            for (DagUpload.Written object : s3.putDags(dags, dagsPrefix)) {
                report(object);
                written.add(object);
            }
            DagUpload.Written dagSettings = s3.put(dagsPrefix + "/" + DagSettings.FILE_NAME, stackOutputs
                    .map(outputs -> DagSettings.dagSettingsJson(settings, outcome.path(), outputs))
                    .orElseGet(() -> DagSettings.dagSettingsJson(settings, outcome.path())));
            report(dagSettings);
            written.add(dagSettings);
            DagUpload.Written requirementsObject = s3.put(settings.mwaa().requirementsKey(), requirements);
            report(requirementsObject);
            written.add(requirementsObject);
            out.println(requirementsObject.versionId()
                    .map(version -> "requirements: MWAA installs them only when its environment names this version: "
                            + "set the requirements file version to " + version
                            + " (console, or aws mwaa update-environment --requirements-s3-object-version " + version + ")")
                    .orElse("requirements: the bucket returned no version id; MWAA needs versioning on its bucket to "
                            + "pick up a new requirements file"));
        }
        out.printf("deployed %s: %d objects to s3://%s/, DAGs run %s%n", settings.jobs().env(), written.size(), bucket,
                outcome.path());
        return new Result(outcome, written);
    }

    /** Plain HTTP only to this machine: anywhere else, {@code secret} would cross the network in clear text. */
    private static void requireEncrypted(String key, URI url, String secret) {
        if (url.getScheme().equals("http") && !Loopback.isLoopbackName(url.getHost())) {
            throw DeployException.notReady("setting " + key + ": " + url + " is plain http to another machine, so "
                    + secret + " would travel in clear text: use https:// (http is for loopback only)");
        }
    }

    private void report(DagUpload.Written object) {
        out.printf("s3: %s (%d bytes)%s%n", object.uri(), object.size(),
                object.versionId().map(version -> ", version " + version).orElse(""));
    }
}
