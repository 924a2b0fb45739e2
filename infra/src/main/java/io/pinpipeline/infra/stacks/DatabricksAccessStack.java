package io.pinpipeline.infra.stacks;

import io.pinpipeline.infra.InfraSettings;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.InstanceProfile;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * What the Databricks clusters run as: an IAM role and its instance profile (register the profile in the
 * workspace, see docs/deploy-aws.md). Least privilege: the landing bucket read only (the cleaning jobs), the lake
 * bucket read and write (silver, gold, quarantine, checkpoints: Delta writes and removes files), the three streams
 * read (the streaming jobs).
 */
public final class DatabricksAccessStack extends Stack {
    public final Role role;

    public DatabricksAccessStack(Construct scope, String id, StackProps props, InfraSettings settings,
                                 StorageStack storage, StreamingStack streaming) {
        super(scope, id, props);
        role = Role.Builder.create(this, "ClusterRole")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .description("Databricks clusters of the pipeline: read landing, read and write the lake, read the streams")
                .build();
        IBucket landing = storage.in(this, settings, StorageStack.LANDING);
        IBucket lake = storage.in(this, settings, StorageStack.LAKE);
        role.addToPolicy(statement(List.of("s3:ListBucket", "s3:GetBucketLocation"),
                List.of(landing.getBucketArn(), lake.getBucketArn())));
        String landingTopics = landing.arnForObjects("topics/*");
        String lakeObjects = lake.arnForObjects("*");
        role.addToPolicy(statement(List.of("s3:GetObject"), List.of(landingTopics)));
        role.addToPolicy(statement(List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), List.of(lakeObjects)));
        // By name, from this stack's own account and region: no cross-stack reference to the streams.
        addStackDependency(streaming, "the streams come first");
        List<String> streams = new ArrayList<>();
        for (String kind : InfraSettings.KINDS) {
            streams.add("arn:" + getPartition() + ":kinesis:" + getRegion() + ":" + getAccount() + ":stream/"
                    + settings.stream(kind));
        }
        role.addToPolicy(statement(List.of("kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
                "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"), streams));
        Acknowledge.wildcardResource(role.getNode().findChild("DefaultPolicy"), landingTopics,
                "the cleaning jobs read any landed file under topics/: object names are the sink's, by topic and day");
        Acknowledge.wildcardResource(role.getNode().findChild("DefaultPolicy"), lakeObjects,
                "Delta tables are folders of files whose names Delta chooses: the lake bucket is the jobs' own");
        InstanceProfile profile = InstanceProfile.Builder.create(this, "ClusterInstanceProfile").role(role).build();

        CfnOutput.Builder.create(this, "DatabricksInstanceProfileArn").value(profile.getInstanceProfileArn())
                .description("register in the Databricks workspace; the DAGs' clusters run with it").build();
        CfnOutput.Builder.create(this, "DatabricksRoleArn").value(role.getRoleArn())
                .description("the workspace's cross-account role needs iam:PassRole on this role").build();
    }

    private static PolicyStatement statement(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().actions(actions).resources(resources).build();
    }
}
