package io.pinpipeline.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.pinpipeline.infra.stacks.ApiStack;
import io.pinpipeline.infra.stacks.DatabricksAccessStack;
import io.pinpipeline.infra.stacks.NetworkStack;
import io.pinpipeline.infra.stacks.OrchestrationStack;
import io.pinpipeline.infra.stacks.StorageStack;
import io.pinpipeline.infra.stacks.StreamingStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * The pipeline's CDK app: six stacks, split so that the slow ones (MSK, MWAA) stand apart from those that change
 * often, with the AwsSolutions checks of cdk-nag over all of them (an unacknowledged finding fails synthesis).
 *
 * <pre>
 *   network ── storage ── streaming (MSK, REST proxy host, MSK Connect, Kinesis) ── api
 *                  │                                   └── databricks-access
 *                  └── orchestration (MWAA)
 * </pre>
 */
public final class PipelineApp {
    /** Where the app's feature flags live: the file the CDK CLI reads, relative to the repository root. */
    public static final String CDK_JSON = "infra/cdk.json";

    private PipelineApp() {
    }

    /** The stacks of one environment, built into {@code app}. */
    public record Stacks(NetworkStack network, StorageStack storage, StreamingStack streaming, ApiStack api,
                         OrchestrationStack orchestration, DatabricksAccessStack databricks) {
    }

    /**
     * A new app writing to {@code outdir}, with cdk.json's context (the feature flags): plain {@code java} does not
     * read cdk.json, and the CLI's own context (CDK_CONTEXT_JSON) is merged over it by CDK.
     */
    public static App app(Path home, Path outdir) {
        App app = App.Builder.create()
                .outdir(outdir.toString())
                .context(cdkJsonContext(home.resolve(CDK_JSON)))
                .build();
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
        return app;
    }

    /** Every stack of the pipeline for these settings. */
    public static Stacks stacks(App app, InfraSettings settings) {
        StackProps props = StackProps.builder()
                .env(Environment.builder()
                        .account(settings.account().orElse(null))
                        .region(settings.region())
                        .build())
                .description("Pinterest data pipeline (" + settings.env() + ", prefix " + settings.prefix() + ")")
                .build();
        NetworkStack network = new NetworkStack(app, settings.stackName("network"), props, settings);
        StorageStack storage = new StorageStack(app, settings.stackName("storage"), props, settings);
        StreamingStack streaming = new StreamingStack(app, settings.stackName("streaming"), props, settings, network, storage);
        ApiStack api = new ApiStack(app, settings.stackName("api"), props, settings, streaming);
        OrchestrationStack orchestration = new OrchestrationStack(app, settings.stackName("orchestration"), props,
                settings, network, storage);
        DatabricksAccessStack databricks = new DatabricksAccessStack(app, settings.stackName("databricks-access"), props,
                settings, storage, streaming);
        Tags.of(app).add("project", "pinterest-data-pipeline");
        Tags.of(app).add("environment", settings.env());
        return new Stacks(network, storage, streaming, api, orchestration, databricks);
    }

    /** Synthesizes every stack of these settings into {@code outdir}. */
    public static CloudAssembly synth(InfraSettings settings, Path outdir) {
        App app = app(settings.home(), outdir);
        stacks(app, settings);
        return app.synth();
    }

    static Map<String, Object> cdkJsonContext(Path cdkJson) {
        try {
            JsonNode context = new ObjectMapper().readTree(Files.readString(cdkJson)).path("context");
            Map<String, Object> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = context.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                values.put(field.getKey(), new ObjectMapper().treeToValue(field.getValue(), Object.class));
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + cdkJson, e);
        }
    }
}
