package io.pinpipeline.infra.stacks;

import io.pinpipeline.infra.InfraSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.DefaultStackSynthesizer;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.iam.CompositePrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.mwaa.CfnEnvironment;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.deployment.BucketDeployment;
import software.amazon.awscdk.services.s3.deployment.Source;
import software.amazon.awscdk.services.s3.assets.AssetOptions;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The MWAA environment that runs the DAGs: Airflow at the version of {@code mwaa-requirements.txt}'s constraint line,
 * its execution role, and in its bucket {@code requirements.txt} (that file) and {@code dags/} (the DAG folder
 * without its tests). MWAA installs requirements only by an object version it is given: a custom resource reads the
 * version S3 gave the upload, keyed by the file's hash, so a changed file means a new version for the environment.
 *
 * <p>Airflow finds its Databricks connection in Secrets Manager ({@code airflow/connections/databricks_default}):
 * the token never passes through a template or a file of the project.
 */
public final class OrchestrationStack extends Stack {
    static final String REQUIREMENTS_KEY = "requirements.txt";
    static final String DAGS_PREFIX = "dags";
    static final String SECRETS_BACKEND = "airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend";

    public final CfnEnvironment environment;

    public OrchestrationStack(Construct scope, String id, StackProps props, InfraSettings settings, NetworkStack network,
                              StorageStack storage) {
        super(scope, id, props);
        String name = settings.stackName("airflow");
        Path requirements = settings.home().resolve(InfraSettings.MWAA_REQUIREMENTS);
        IBucket bucket = storage.in(this, settings, StorageStack.MWAA);

        // ./pipeline deploy adds the DAGs' settings file beside them: neither upload deletes what it did not write.
        BucketDeployment upload = BucketDeployment.Builder.create(this, "Requirements")
                .destinationBucket(bucket)
                .sources(List.of(Source.data(REQUIREMENTS_KEY, read(requirements))))
                .prune(false)
                .build();
        BucketDeployment dags = BucketDeployment.Builder.create(this, "Dags")
                .destinationBucket(bucket)
                .destinationKeyPrefix(DAGS_PREFIX + "/")
                .sources(List.of(Source.asset(settings.home().resolve(InfraSettings.DAGS).toString(), AssetOptions.builder()
                        .exclude(List.of("tests", "__pycache__", "*.pyc"))
                        .build())))
                .prune(false)
                .build();
        acknowledgeBucketDeploymentHandler(bucket);
        String requirementsVersion = requirementsVersion(bucket, requirements, upload);

        Role role = executionRole(name, bucket);
        environment = CfnEnvironment.Builder.create(this, "Airflow")
                .name(name)
                .airflowVersion(settings.mwaa().airflowVersion())
                .environmentClass(settings.mwaa().environmentClass())
                .minWorkers(1)
                .maxWorkers(settings.mwaa().maxWorkers())
                .sourceBucketArn(bucket.getBucketArn())
                .dagS3Path(DAGS_PREFIX)
                .requirementsS3Path(REQUIREMENTS_KEY)
                .requirementsS3ObjectVersion(requirementsVersion)
                .executionRoleArn(role.getRoleArn())
                .webserverAccessMode(settings.mwaa().webserverAccessMode())
                .networkConfiguration(CfnEnvironment.NetworkConfigurationProperty.builder()
                        .securityGroupIds(List.of(network.mwaa.getSecurityGroupId()))
                        .subnetIds(network.vpc.selectSubnets(SubnetSelection.builder()
                                .subnetType(SubnetType.PRIVATE_WITH_EGRESS).build()).getSubnetIds())
                        .build())
                .airflowConfigurationOptions(Map.of(
                        "secrets.backend", SECRETS_BACKEND,
                        "secrets.backend_kwargs",
                        "{\"connections_prefix\": \"airflow/connections\", \"variables_prefix\": \"airflow/variables\"}"))
                .loggingConfiguration(CfnEnvironment.LoggingConfigurationProperty.builder()
                        .dagProcessingLogs(logs("WARNING"))
                        .schedulerLogs(logs("WARNING"))
                        .taskLogs(logs("INFO"))
                        .webserverLogs(logs("WARNING"))
                        .workerLogs(logs("WARNING"))
                        .build())
                .build();
        environment.getNode().addDependency(upload);
        environment.getNode().addDependency(dags);

        CfnOutput.Builder.create(this, "MwaaEnvironmentName").value(name).build();
        CfnOutput.Builder.create(this, "MwaaWebserverUrl").value(environment.getAttrWebserverUrl()).build();
        CfnOutput.Builder.create(this, "RequirementsObjectVersion").value(requirementsVersion).build();
    }

    /** The S3 version id of the uploaded requirements file, read after the upload; a new file hash, a new read. */
    private String requirementsVersion(IBucket bucket, Path requirements, BucketDeployment upload) {
        // HeadObject is authorized by s3:GetObject (and s3:GetObjectVersion for a versioned object).
        String version = CustomResources.read(this, "RequirementsVersion", "S3", "headObject",
                Map.of("Bucket", bucket.getBucketName(), "Key", REQUIREMENTS_KEY), "VersionId",
                "requirements-" + sha256(requirements), PolicyStatement.Builder.create()
                        .actions(List.of("s3:GetObject", "s3:GetObjectVersion"))
                        .resources(List.of(bucket.arnForObjects(REQUIREMENTS_KEY)))
                        .build());
        getNode().findChild("RequirementsVersion").getNode().addDependency(upload);
        return version;
    }

    /**
     * The execution role MWAA's documentation gives, narrowed to this environment: its bucket (read), its log groups,
     * its metrics, the Celery queues MWAA owns, their KMS use through SQS only, and the Airflow secrets.
     */
    private Role executionRole(String name, IBucket bucket) {
        Role role = Role.Builder.create(this, "ExecutionRole")
                .assumedBy(new CompositePrincipal(new ServicePrincipal("airflow.amazonaws.com"),
                        new ServicePrincipal("airflow-env.amazonaws.com")))
                .description("MWAA " + name + ": read its bucket, write its logs and metrics, its queues, the Airflow secrets")
                .build();
        String region = getRegion();
        String account = getAccount();
        String partition = getPartition();
        String objects = bucket.arnForObjects("*");
        String logGroups = "arn:" + partition + ":logs:" + region + ":" + account + ":log-group:airflow-" + name + "-*";
        String queues = "arn:" + partition + ":sqs:" + region + ":*:airflow-celery-*";
        List<String> secrets = List.of(
                "arn:" + partition + ":secretsmanager:" + region + ":" + account + ":secret:airflow/connections/*",
                "arn:" + partition + ":secretsmanager:" + region + ":" + account + ":secret:airflow/variables/*");
        role.addToPolicy(statement(List.of("airflow:PublishMetrics"),
                List.of("arn:" + partition + ":airflow:" + region + ":" + account + ":environment/" + name)));
        role.addToPolicy(statement(List.of("s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketVersioning",
                "s3:GetBucketPublicAccessBlock"), List.of(bucket.getBucketArn())));
        role.addToPolicy(statement(List.of("s3:GetObject", "s3:GetObjectVersion"), List.of(objects)));
        role.addToPolicy(statement(List.of("s3:GetAccountPublicAccessBlock"), List.of("*")));
        role.addToPolicy(statement(List.of("logs:CreateLogStream", "logs:CreateLogGroup", "logs:PutLogEvents",
                "logs:GetLogEvents", "logs:GetLogRecord", "logs:GetLogGroupFields", "logs:GetQueryResults"),
                List.of(logGroups)));
        role.addToPolicy(statement(List.of("logs:DescribeLogGroups", "cloudwatch:PutMetricData"), List.of("*")));
        role.addToPolicy(statement(List.of("sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:SendMessage"), List.of(queues)));
        role.addToPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey", "kms:Encrypt"))
                .notResources(List.of("arn:" + partition + ":kms:*:" + account + ":key/*"))
                .conditions(Map.of("StringLike", Map.of("kms:ViaService", List.of("sqs." + region + ".amazonaws.com"))))
                .build());
        role.addToPolicy(statement(List.of("secretsmanager:GetSecretValue"), secrets));

        IConstruct policy = role.getNode().findChild("DefaultPolicy");
        Acknowledge.wildcardResource(policy, objects, "MWAA reads its whole bucket: the DAG folder, plugins and requirements");
        Acknowledge.wildcardResource(policy, "*", "s3:GetAccountPublicAccessBlock, logs:DescribeLogGroups and "
                + "cloudwatch:PutMetricData have no resource type: IAM accepts only * for them (MWAA's documented policy)");
        Acknowledge.wildcardResource(policy, logGroups, "MWAA creates its log groups airflow-<environment>-<module>");
        Acknowledge.wildcardResource(policy, queues, "MWAA's Celery queues live in an account MWAA owns, named airflow-celery-*");
        for (String secret : secrets) {
            Acknowledge.wildcardResource(policy, secret, "the Airflow connections and variables the secrets backend looks up by name");
        }
        return role;
    }

    /** The findings on the one Lambda function CDK writes for all BucketDeployments of a stack: not our code. */
    private void acknowledgeBucketDeploymentHandler(IBucket bucket) {
        IConstruct handler = getNode().getChildren().stream()
                .filter(child -> child.getNode().getId().startsWith("Custom::CDKBucketDeployment"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no BucketDeployment handler in " + getStackName()));
        String why = "CDK's BucketDeployment handler copies the stack's assets into the MWAA bucket: CDK grants it "
                + "read on its asset bucket and read-write on the destination, with these patterns";
        for (String action : List.of("s3:GetObject*", "s3:GetBucket*", "s3:List*", "s3:DeleteObject*", "s3:Abort*")) {
            Acknowledge.finding(handler, "AwsSolutions-IAM5[Action::" + action + "]", why);
        }
        IConstruct policy = handler.getNode().findChild("ServiceRole").getNode().findChild("DefaultPolicy");
        Acknowledge.wildcardResource(policy, bucket.arnForObjects("*"), why);
        Acknowledge.wildcardResource(policy, "arn:" + getPartition() + ":s3:::cdk-" + DefaultStackSynthesizer.DEFAULT_QUALIFIER
                + "-assets-" + getAccount() + "-" + getRegion() + "/*", why);
        Acknowledge.finding(handler, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                "CDK's BucketDeployment handler logs with AWS's basic execution policy");
        Acknowledge.finding(handler, "AwsSolutions-L1",
                "CDK pins the BucketDeployment handler's runtime to the one its bundled AWS CLI layer supports");
    }

    private static PolicyStatement statement(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().actions(actions).resources(resources).build();
    }

    private static CfnEnvironment.ModuleLoggingConfigurationProperty logs(String level) {
        return CfnEnvironment.ModuleLoggingConfigurationProperty.builder().enabled(true).logLevel(level).build();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)))
                    .substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
