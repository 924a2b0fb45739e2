package io.pinpipeline.infra.stacks;

import io.pinpipeline.infra.InfraSettings;
import io.pinpipeline.infra.MappingTemplates;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.AwsIntegration;
import software.amazon.awscdk.services.apigateway.ConnectionType;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.Integration;
import software.amazon.awscdk.services.apigateway.IntegrationOptions;
import software.amazon.awscdk.services.apigateway.IntegrationProps;
import software.amazon.awscdk.services.apigateway.IntegrationResponse;
import software.amazon.awscdk.services.apigateway.IntegrationType;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.MethodResponse;
import software.amazon.awscdk.services.apigateway.PassthroughBehavior;
import software.amazon.awscdk.services.apigateway.ProxyResourceOptions;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.apigateway.VpcLink;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The REST API the emulator posts to (SPEC 9), one stage named after the environment:
 * <ul>
 *   <li>{@code ANY /{proxy+}}: an HTTP proxy through a VPC link to the Kafka REST proxy, so that
 *       {@code POST <invoke url>/topics/<p>.<kind>} (the kafka-rest sink) reaches {@code /topics/<p>.<kind>} there;</li>
 *   <li>the Kinesis proxy (AWS service integrations with their own role): {@code GET /streams} ListStreams,
 *       {@code GET|POST|DELETE /streams/{stream-name}} DescribeStream, CreateStream, DeleteStream,
 *       {@code PUT /streams/{stream-name}/record} PutRecord (the kinesis-api sink), {@code PUT .../records}
 *       PutRecords. The request mapping templates are the files in {@code api/} (see {@link MappingTemplates}).</li>
 * </ul>
 * Only the default integration response is mapped: a Kinesis error comes back as 200 with its {@code __type} in the
 * body, which the kinesis-api sink reads (and retries when it is throttling).
 */
public final class ApiStack extends Stack {
    public final RestApi api;

    public ApiStack(Construct scope, String id, StackProps props, InfraSettings settings, StreamingStack streaming) {
        super(scope, id, props);
        LogGroup accessLogs = LogGroup.Builder.create(this, "AccessLogs").retention(RetentionDays.ONE_MONTH).build();
        api = RestApi.Builder.create(this, "Api")
                .restApiName(settings.stackName("api"))
                .description("The posting emulator's way in: Kafka REST proxy and Kinesis proxy")
                .endpointTypes(List.of(EndpointType.REGIONAL))
                .cloudWatchRole(true)
                .deployOptions(StageOptions.builder()
                        .stageName(settings.env())
                        .accessLogDestination(new LogGroupLogDestination(accessLogs))
                        .accessLogFormat(AccessLogFormat.jsonWithStandardFields())
                        .loggingLevel(MethodLoggingLevel.ERROR)
                        .throttlingRateLimit(settings.api().throttlingRate())
                        .throttlingBurstLimit(settings.api().throttlingBurst())
                        .build())
                .build();
        Acknowledge.finding(api, "AwsSolutions-APIG2",
                "each integration maps only the fields it names (mapping templates, passthrough NEVER); the REST proxy validates its own bodies");
        Acknowledge.finding(api, "AwsSolutions-APIG3",
                "no WAF: the stage's throttling bounds the load; a web ACL bills monthly, add one in front for a public deployment");
        Acknowledge.finding(api, "AwsSolutions-APIG4",
                "the posting emulator sends unsigned requests, as the original pipeline's did; the stage throttles, and nothing read leaves the pipeline through it");
        Acknowledge.finding(api, "AwsSolutions-COG4",
                "no Cognito: the emulator is a machine client without a user pool (see AwsSolutions-APIG4)");
        Acknowledge.finding(api, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]",
                "the account-level role API Gateway needs to write the stage's logs; AWS maintains the policy for exactly that");

        restProxyRoute(settings, streaming);
        kinesisRoutes(settings);

        CfnOutput.Builder.create(this, "ApiInvokeUrl").value(api.getUrl())
                .description("the emulator's --url for --sink kafka-rest and --sink kinesis-api").build();
    }

    /** {@code ANY /{proxy+}} to {@code http://<the REST proxy's load balancer>:<port>/{proxy}} through a VPC link. */
    private void restProxyRoute(InfraSettings settings, StreamingStack streaming) {
        VpcLink link = VpcLink.Builder.create(this, "RestProxyLink")
                .targets(List.of(streaming.restProxyLoadBalancer))
                .description("API Gateway to the Kafka REST proxy's internal load balancer")
                .build();
        Integration restProxy = new Integration(IntegrationProps.builder()
                .type(IntegrationType.HTTP_PROXY)
                .integrationHttpMethod("ANY")
                .uri("http://" + streaming.restProxyLoadBalancer.getLoadBalancerDnsName() + ":"
                        + settings.restProxy().port() + "/{proxy}")
                .options(IntegrationOptions.builder()
                        .connectionType(ConnectionType.VPC_LINK)
                        .vpcLink(link)
                        .requestParameters(Map.of("integration.request.path.proxy", "method.request.path.proxy"))
                        .build())
                .build());
        api.getRoot().addProxy(ProxyResourceOptions.builder().anyMethod(false).build())
                .addMethod("ANY", restProxy, MethodOptions.builder()
                        .requestParameters(Map.of("method.request.path.proxy", true))
                        .build());
    }

    private void kinesisRoutes(InfraSettings settings) {
        Role role = Role.Builder.create(this, "KinesisProxyRole")
                .assumedBy(new ServicePrincipal("apigateway.amazonaws.com"))
                .description("API Gateway's Kinesis proxy: the pipeline's streams only")
                .build();
        // ListStreams has no resource type: IAM takes only "*" for it.
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kinesis:ListStreams"))
                .resources(List.of("*"))
                .build());
        String streams = "arn:" + getPartition() + ":kinesis:" + getRegion() + ":" + getAccount()
                + ":stream/streaming-" + settings.prefix() + "-*";
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kinesis:CreateStream", "kinesis:DescribeStream", "kinesis:DeleteStream",
                        "kinesis:PutRecord", "kinesis:PutRecords"))
                .resources(List.of(streams))
                .build());
        Acknowledge.wildcardResource(role.getNode().findChild("DefaultPolicy"), "*",
                "kinesis:ListStreams has no resource type: IAM accepts only * for it");
        Acknowledge.wildcardResource(role.getNode().findChild("DefaultPolicy"), streams,
                "the proxy creates and deletes streams by the name in its path: only names of the pipeline's prefix");

        Resource streamsResource = api.getRoot().addResource("streams");
        streamsResource.addMethod("GET", kinesis(role, "ListStreams", MappingTemplates.LIST_STREAMS), ok());
        Resource stream = streamsResource.addResource("{stream-name}");
        stream.addMethod("GET", kinesis(role, "DescribeStream", MappingTemplates.DESCRIBE_STREAM), ok());
        stream.addMethod("POST", kinesis(role, "CreateStream", MappingTemplates.CREATE_STREAM), ok());
        stream.addMethod("DELETE", kinesis(role, "DeleteStream", MappingTemplates.DELETE_STREAM), ok());
        stream.addResource("record").addMethod("PUT", kinesis(role, "PutRecord", MappingTemplates.PUT_RECORD), ok());
        stream.addResource("records").addMethod("PUT", kinesis(role, "PutRecords", MappingTemplates.PUT_RECORDS), ok());
    }

    /** A Kinesis API action behind API Gateway: its JSON body from a mapping template, Kinesis' answer as it is. */
    private static AwsIntegration kinesis(Role role, String action, String template) {
        return AwsIntegration.Builder.create()
                .service("kinesis")
                .action(action)
                .integrationHttpMethod("POST")
                .options(IntegrationOptions.builder()
                        .credentialsRole(role)
                        .passthroughBehavior(PassthroughBehavior.NEVER)
                        .requestParameters(Map.of("integration.request.header.Content-Type", "'application/x-amz-json-1.1'"))
                        .requestTemplates(Map.of("application/json", MappingTemplates.read(template)))
                        .integrationResponses(List.of(IntegrationResponse.builder().statusCode("200").build()))
                        .build())
                .build();
    }

    private static MethodOptions ok() {
        return MethodOptions.builder()
                .methodResponses(List.of(MethodResponse.builder().statusCode("200").build()))
                .build();
    }
}
