package io.pinpipeline.infra.stacks;

import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

/**
 * The findings on what CDK itself adds for AwsCustomResource (one Lambda function a stack, whose code and role CDK
 * writes): accepted once a stack, with the reason, since the code is not ours to change.
 */
final class CustomResources {
    /** The construct id CDK gives the one AwsCustomResource provider function of a stack. */
    static final String PROVIDER_ID = "AWS679f53fac002430cb0da5b7982bd2287";

    private CustomResources() {
    }

    static void acknowledgeProvider(Stack stack) {
        IConstruct provider = stack.getNode().tryFindChild(PROVIDER_ID);
        if (provider == null) {
            return;
        }
        Acknowledge.finding(provider, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
                "CDK's custom-resource provider logs to CloudWatch with AWS's basic execution policy; its SDK calls have their own least-privilege policy");
    }
}
