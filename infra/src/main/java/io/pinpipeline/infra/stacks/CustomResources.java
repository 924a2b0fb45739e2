package io.pinpipeline.infra.stacks;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.IConstruct;

/**
 * AWS API reads at deploy time, for values CloudFormation has no attribute for, and the findings on what CDK itself adds for AwsCustomResource (one Lambda function a stack, whose code and role CDK
 * writes): accepted once a stack, with the reason, since the code is not ours to change.
 */
final class CustomResources {
    /** The construct id CDK gives the one AwsCustomResource provider function of a stack. */
    static final String PROVIDER_ID = "AWS679f53fac002430cb0da5b7982bd2287";

    private CustomResources() {
    }

    /**
     * One field of an AWS API call's answer, read when the resource is created and again whenever {@code version}
     * changes. The call runs with only {@code permission}; the SDK is the provider's own (no download at deploy time).
     */
    static String read(Stack stack, String id, String service, String action, Map<String, Object> parameters,
                       String field, String version, PolicyStatement permission) {
        AwsSdkCall call = AwsSdkCall.builder()
                .service(service)
                .action(action)
                .parameters(parameters)
                .physicalResourceId(PhysicalResourceId.of(version))
                .outputPaths(List.of(field))
                .build();
        AwsCustomResource resource = AwsCustomResource.Builder.create(stack, id)
                .onCreate(call)
                .onUpdate(call)
                .installLatestAwsSdk(false)
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(permission)))
                .build();
        acknowledgeProvider(stack);
        return resource.getResponseField(field);
    }

    /** The policy of a custom resource made by {@link #read}, for acknowledging a finding on it. */
    static IConstruct policy(Stack stack, String id) {
        return stack.getNode().findChild(id).getNode().findChild("CustomResourcePolicy");
    }

    private static void acknowledgeProvider(Stack stack) {
        IConstruct provider = stack.getNode().tryFindChild(PROVIDER_ID);
        if (provider == null) {
            return;
        }
        Acknowledge.finding(provider, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                "CDK's custom-resource provider logs to CloudWatch with AWS's basic execution policy; its SDK calls have their own least-privilege policy");
    }
}
