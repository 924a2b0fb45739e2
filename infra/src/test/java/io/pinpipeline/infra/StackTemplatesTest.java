package io.pinpipeline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The synthesized templates, stack by stack: resource types, counts and the properties that matter. */
class StackTemplatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Synthesized dev = Synthesized.env("dev");

    private static JsonNode json(Template template) {
        return JSON.valueToTree(template.toJSON());
    }

    /** Every resource of a type, as JSON. */
    private static List<JsonNode> resources(Template template, String type) {
        List<JsonNode> found = new ArrayList<>();
        json(template).path("Resources").forEach(resource -> {
            if (resource.path("Type").asText().equals(type)) {
                found.add(resource);
            }
        });
        return found;
    }

    @Test
    void the_network_has_two_azs_of_public_and_private_subnets_and_msk_takes_only_its_two_clients() {
        Template network = Template.fromStack(dev.stacks.network());
        network.resourceCountIs("AWS::EC2::VPC", 1);
        network.resourceCountIs("AWS::EC2::Subnet", 4);
        network.resourceCountIs("AWS::EC2::NatGateway", 1);
        network.resourceCountIs("AWS::EC2::FlowLog", 1);
        network.hasResourceProperties("AWS::EC2::VPCEndpoint", Map.of("VpcEndpointType", "Gateway"));
        List<JsonNode> mskIngress = new ArrayList<>();
        for (JsonNode rule : resources(network, "AWS::EC2::SecurityGroupIngress")) {
            JsonNode properties = rule.path("Properties");
            if (properties.path("GroupId").toString().contains("MskSecurityGroup")) {
                mskIngress.add(properties);
            }
        }
        assertThat(mskIngress).hasSize(2).allSatisfy(rule -> {
            assertThat(rule.path("FromPort").asInt()).isEqualTo(9098);
            assertThat(rule.path("ToPort").asInt()).isEqualTo(9098);
            assertThat(rule.has("SourceSecurityGroupId")).isTrue();
            assertThat(rule.has("CidrIp")).isFalse();
        });
        assertThat(mskIngress.stream().map(rule -> rule.path("SourceSecurityGroupId").toString()))
                .anySatisfy(source -> assertThat(source).contains("RestProxySecurityGroup"))
                .anySatisfy(source -> assertThat(source).contains("MskConnectSecurityGroup"));
        // Nothing is open to the internet.
        assertThat(json(network).toString()).doesNotContain("0.0.0.0/0\",\"Description\":\"from");
        assertThat(resources(network, "AWS::EC2::SecurityGroup")).allSatisfy(group ->
                assertThat(group.path("Properties").path("SecurityGroupIngress").toString()).doesNotContain("0.0.0.0/0"));
    }

    @Test
    void every_bucket_is_encrypted_private_and_tls_only_and_the_mwaa_bucket_keeps_versions() {
        Template storage = Template.fromStack(dev.stacks.storage());
        storage.resourceCountIs("AWS::S3::Bucket", 4);
        assertThat(resources(storage, "AWS::S3::Bucket")).allSatisfy(bucket -> {
            JsonNode properties = bucket.path("Properties");
            assertThat(properties.at("/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm")
                    .asText()).isEqualTo("AES256");
            JsonNode block = properties.path("PublicAccessBlockConfiguration");
            assertThat(List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"))
                    .allSatisfy(key -> assertThat(block.path(key).asBoolean()).as(key).isTrue());
            assertThat(bucket.path("DeletionPolicy").asText()).isEqualTo("Retain");
        });
        storage.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "BucketName", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(
                        Match.arrayWith(List.of(Match.stringLikeRegexp("pinterest-pipeline-dev-mwaa-"))))))),
                "VersioningConfiguration", Map.of("Status", "Enabled")));
        List<JsonNode> policies = resources(storage, "AWS::S3::BucketPolicy");
        assertThat(policies).hasSize(4).allSatisfy(policy -> assertThat(policy.path("Properties").path("PolicyDocument")
                .toString()).contains("\"Effect\":\"Deny\"").contains("{\"Bool\":{\"aws:SecureTransport\":\"false\"}}"));
    }

    @Test
    void msk_takes_iam_authenticated_tls_clients_only_and_holds_the_three_topics() {
        Template streaming = Template.fromStack(dev.stacks.streaming());
        streaming.resourceCountIs("AWS::MSK::Cluster", 1);
        streaming.hasResourceProperties("AWS::MSK::Cluster", Map.of(
                "ClientAuthentication", Map.of(
                        "Sasl", Map.of("Iam", Map.of("Enabled", true)),
                        "Unauthenticated", Map.of("Enabled", false)),
                "EncryptionInfo", Map.of("EncryptionInTransit", Map.of("ClientBroker", "TLS", "InCluster", true)),
                "NumberOfBrokerNodes", 2,
                "BrokerNodeGroupInfo", Match.objectLike(Map.of("InstanceType", "kafka.t3.small"))));
        streaming.resourceCountIs("AWS::MSK::Topic", 3);
        for (String kind : InfraSettings.KINDS) {
            streaming.hasResourceProperties("AWS::MSK::Topic", Map.of("TopicName", "0a1b2c3d4e5f." + kind,
                    "ReplicationFactor", 2));
        }
    }

    @Test
    void the_rest_proxy_host_runs_the_proxy_with_msk_iam_auth_on_port_9098() {
        Template streaming = Template.fromStack(dev.stacks.streaming());
        List<JsonNode> hosts = resources(streaming, "AWS::EC2::Instance");
        assertThat(hosts).hasSize(1);
        String userData = hosts.get(0).at("/Properties/UserData/Fn::Base64").toString();
        assertThat(userData)
                .contains("client.security.protocol=SASL_SSL")
                .contains("client.sasl.mechanism=AWS_MSK_IAM")
                .contains("software.amazon.msk.auth.iam.IAMLoginModule required;")
                .contains("aws-msk-iam-auth-2.3.2-all.jar")
                .contains("listeners=http://0.0.0.0:8082")
                // the bootstrap string comes from the custom resource that asks the Kafka API for the IAM (9098) brokers
                .contains("BootstrapBrokerStringSaslIam");
        assertThat(resources(streaming, "Custom::AWS").get(0).at("/Properties/Create").toString())
                .contains("\\\"service\\\":\\\"Kafka\\\"").contains("\\\"action\\\":\\\"getBootstrapBrokers\\\"")
                .contains("BootstrapBrokerStringSaslIam");
        streaming.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Map.of(
                "Scheme", "internal", "Type", "network"));
    }

    @Test
    void the_s3_sink_connector_is_the_shipped_properties_file_with_its_placeholders_filled_in() {
        Template streaming = Template.fromStack(dev.stacks.streaming());
        List<JsonNode> connectors = resources(streaming, "AWS::KafkaConnect::Connector");
        assertThat(connectors).hasSize(1);
        JsonNode connector = connectors.get(0).path("Properties");
        JsonNode config = connector.path("ConnectorConfiguration");
        Map<String, String> file = SinkConnectorConfig.read(Synthesized.HOME.resolve(InfraSettings.SINK_PROPERTIES));
        assertThat(config.size()).isEqualTo(file.size());
        assertThat(config.path("partitioner.class").asText())
                .isEqualTo("io.confluent.connect.storage.partitioner.TimeBasedPartitioner");
        assertThat(config.path("path.format").asText()).isEqualTo("'dt'=YYYY-MM-dd");
        assertThat(config.path("topics.dir").asText()).isEqualTo("topics");
        assertThat(config.path("topics.regex").asText()).isEqualTo("0a1b2c3d4e5f\\.(pin|geo|user)");
        assertThat(config.path("s3.region").asText()).isEqualTo("us-east-1");
        assertThat(config.path("s3.bucket.name").toString()).contains("pinterest-pipeline-dev-landing-");
        // every other key exactly as the file has it
        file.forEach((key, value) -> {
            if (!List.of("topics.regex", "s3.region", "s3.bucket.name").contains(key)) {
                assertThat(config.path(key).asText()).as(key).isEqualTo(value);
            }
        });
        assertThat(connector.at("/KafkaClusterClientAuthentication/AuthenticationType").asText()).isEqualTo("IAM");
        assertThat(connector.at("/KafkaClusterEncryptionInTransit/EncryptionType").asText()).isEqualTo("TLS");
        streaming.resourceCountIs("AWS::KafkaConnect::CustomPlugin", 1);
        String worker = resources(streaming, "AWS::KafkaConnect::WorkerConfiguration").get(0)
                .at("/Properties/PropertiesFileContent").asText();
        assertThat(new String(Base64.getDecoder().decode(worker), StandardCharsets.UTF_8)).isEqualTo(
                "key.converter=org.apache.kafka.connect.storage.StringConverter\n"
                        + "value.converter=org.apache.kafka.connect.json.JsonConverter\n"
                        + "value.converter.schemas.enable=false\n");
    }

    @Test
    void the_streams_are_provisioned_in_dev_and_on_demand_in_prod() {
        Template dev = Template.fromStack(this.dev.stacks.streaming());
        dev.resourceCountIs("AWS::Kinesis::Stream", 3);
        for (String kind : InfraSettings.KINDS) {
            dev.hasResourceProperties("AWS::Kinesis::Stream", Map.of("Name", "streaming-0a1b2c3d4e5f-" + kind,
                    "ShardCount", 1, "StreamModeDetails", Map.of("StreamMode", "PROVISIONED")));
        }
        Template prod = Template.fromStack(Synthesized.env("prod").stacks.streaming());
        prod.resourceCountIs("AWS::Kinesis::Stream", 3);
        assertThat(resources(prod, "AWS::Kinesis::Stream")).allSatisfy(stream -> {
            assertThat(stream.at("/Properties/StreamModeDetails/StreamMode").asText()).isEqualTo("ON_DEMAND");
            assertThat(stream.at("/Properties/ShardCount").isMissingNode()).isTrue();
            assertThat(stream.at("/Properties/RetentionPeriodHours").asInt()).isEqualTo(168);
        });
        prod.hasResourceProperties("AWS::MSK::Cluster", Map.of(
                "BrokerNodeGroupInfo", Match.objectLike(Map.of("InstanceType", "kafka.m5.large"))));
    }

    @Test
    void the_api_routes_are_the_rest_proxy_and_the_kinesis_actions_the_emulator_calls() {
        Template api = Template.fromStack(dev.stacks.api());
        Map<String, String> pathOf = new java.util.HashMap<>();
        JsonNode all = json(api).path("Resources");
        all.fields().forEachRemaining(entry -> {
            if (entry.getValue().path("Type").asText().equals("AWS::ApiGateway::Resource")) {
                pathOf.put(entry.getKey(), entry.getValue().at("/Properties/PathPart").asText());
            }
        });
        Map<String, String> routes = new java.util.TreeMap<>();
        for (JsonNode method : resources(api, "AWS::ApiGateway::Method")) {
            JsonNode properties = method.path("Properties");
            String route = properties.path("HttpMethod").asText() + " " + path(properties.path("ResourceId"), all);
            JsonNode integration = properties.path("Integration");
            String target = integration.path("Type").asText().equals("HTTP_PROXY")
                    ? "HTTP_PROXY " + integration.path("ConnectionType").asText()
                    : integration.path("Uri").toString().replaceAll(".*:kinesis:action/([A-Za-z]+).*", "$1");
            routes.put(route, target);
        }
        // CDK mounts a root proxy's method on the root too, so that the bare invoke URL is proxied as well
        assertThat(routes).containsExactlyInAnyOrderEntriesOf(Map.of(
                "ANY ", "HTTP_PROXY VPC_LINK",
                "ANY /{proxy+}", "HTTP_PROXY VPC_LINK",
                "GET /streams", "ListStreams",
                "GET /streams/{stream-name}", "DescribeStream",
                "POST /streams/{stream-name}", "CreateStream",
                "DELETE /streams/{stream-name}", "DeleteStream",
                "PUT /streams/{stream-name}/record", "PutRecord",
                "PUT /streams/{stream-name}/records", "PutRecords"));
        // the Kinesis routes send the files' templates, nothing passes through unmapped
        api.hasResourceProperties("AWS::ApiGateway::Method", Map.of("Integration", Match.objectLike(Map.of(
                "PassthroughBehavior", "NEVER",
                "RequestTemplates", Map.of("application/json", MappingTemplates.read(MappingTemplates.PUT_RECORD))))));
        api.hasResourceProperties("AWS::ApiGateway::Method", Map.of("HttpMethod", "ANY", "Integration", Match.objectLike(Map.of(
                "Uri", Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(Match.arrayWith(List.of(":8082/{proxy}")))))),
                "RequestParameters", Map.of("integration.request.path.proxy", "method.request.path.proxy")))));
        api.resourceCountIs("AWS::ApiGateway::VpcLink", 1);
        api.hasResourceProperties("AWS::ApiGateway::Stage", Map.of("StageName", "dev"));
    }

    private static String path(JsonNode resourceId, JsonNode all) {
        if (resourceId.has("Fn::GetAtt")) {
            return "";  // the root resource
        }
        String id = resourceId.path("Ref").asText();
        JsonNode resource = all.path(id).path("Properties");
        return path(resource.path("ParentId"), all) + "/" + resource.path("PathPart").asText();
    }

    @Test
    void mwaa_runs_the_airflow_of_the_requirements_file_and_installs_the_uploaded_version() {
        Template orchestration = Template.fromStack(dev.stacks.orchestration());
        orchestration.resourceCountIs("AWS::MWAA::Environment", 1);
        String airflow = InfraSettings.airflowVersion(Synthesized.HOME.resolve(InfraSettings.MWAA_REQUIREMENTS));
        assertThat(airflow).isEqualTo("3.3.1");
        orchestration.hasResourceProperties("AWS::MWAA::Environment", Map.of(
                "AirflowVersion", airflow,
                "EnvironmentClass", "mw1.small",
                "DagS3Path", "dags",
                "RequirementsS3Path", "requirements.txt",
                // the version S3 gave the upload, read back by the custom resource
                "RequirementsS3ObjectVersion", Map.of("Fn::GetAtt", Match.arrayWith(List.of("VersionId")))));
        assertThat(resources(orchestration, "Custom::AWS").get(0).at("/Properties/Create").toString())
                .contains("\\\"service\\\":\\\"S3\\\"").contains("\\\"action\\\":\\\"headObject\\\"")
                .contains("\\\"Key\\\":\\\"requirements.txt\\\"");
        orchestration.hasResourceProperties("AWS::IAM::Role", Map.of("AssumeRolePolicyDocument", Match.objectLike(Map.of(
                "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of("Principal", Map.of("Service",
                        List.of("airflow-env.amazonaws.com", "airflow.amazonaws.com")))))))))); 
    }

    @Test
    void databricks_reads_landing_writes_the_lake_and_reads_the_three_streams() {
        Template databricks = Template.fromStack(dev.stacks.databricks());
        databricks.resourceCountIs("AWS::IAM::InstanceProfile", 1);
        JsonNode statements = resources(databricks, "AWS::IAM::Policy").get(0).at("/Properties/PolicyDocument/Statement");
        Map<String, String> actionsByResource = new java.util.TreeMap<>();
        statements.forEach(statement -> actionsByResource.put(statement.path("Resource").toString(),
                statement.path("Action").toString()));
        assertThat(actionsByResource.values()).containsExactlyInAnyOrder(
                "[\"s3:GetBucketLocation\",\"s3:ListBucket\"]",
                "\"s3:GetObject\"",
                "[\"s3:DeleteObject\",\"s3:GetObject\",\"s3:PutObject\"]",
                "[\"kinesis:DescribeStream\",\"kinesis:DescribeStreamSummary\",\"kinesis:GetRecords\","
                        + "\"kinesis:GetShardIterator\",\"kinesis:ListShards\"]");
        String landingRead = actionsByResource.entrySet().stream().filter(e -> e.getValue().equals("\"s3:GetObject\""))
                .findFirst().orElseThrow().getKey();
        assertThat(landingRead).contains("pinterest-pipeline-dev-landing-").contains("/topics/*");
        assertThat(statements.toString()).contains("stream/streaming-0a1b2c3d4e5f-pin")
                .contains("stream/streaming-0a1b2c3d4e5f-geo").contains("stream/streaming-0a1b2c3d4e5f-user");
    }

    @Test
    void no_policy_of_any_stack_allows_a_whole_service_or_every_action() {
        for (Stack stack : List.of(dev.stacks.network(), dev.stacks.storage(), dev.stacks.streaming(), dev.stacks.api(),
                dev.stacks.orchestration(), dev.stacks.databricks())) {
            JsonNode template = json(Template.fromStack(stack));
            List<String> allowed = new ArrayList<>();
            template.findValues("Statement").forEach(statements -> statements.forEach(statement -> {
                if (statement.path("Effect").asText().equals("Allow")) {
                    JsonNode actions = statement.path("Action");
                    (actions.isArray() ? actions : JSON.createArrayNode().add(actions))
                            .forEach(action -> allowed.add(action.asText()));
                }
            }));
            assertThat(allowed).as(stack.getStackName()).isNotEmpty()
                    .noneMatch(action -> action.equals("*") || action.endsWith(":*"));
        }
    }

    @Test
    void the_outputs_that_deploy_reads_are_there() {
        assertThat(json(Template.fromStack(dev.stacks.storage())).path("Outputs").fieldNames())
                .toIterable().contains("LandingBucketName", "LakeBucketName", "MwaaBucketName");
        assertThat(json(Template.fromStack(dev.stacks.streaming())).path("Outputs").fieldNames())
                .toIterable().contains("MskBootstrapServers", "PinStreamName", "GeoStreamName", "UserStreamName");
        assertThat(json(Template.fromStack(dev.stacks.api())).path("Outputs").fieldNames())
                .toIterable().contains("ApiInvokeUrl");
        assertThat(json(Template.fromStack(dev.stacks.orchestration())).path("Outputs").fieldNames())
                .toIterable().contains("MwaaEnvironmentName");
        assertThat(json(Template.fromStack(dev.stacks.databricks())).path("Outputs").fieldNames())
                .toIterable().contains("DatabricksInstanceProfileArn");
    }
}
