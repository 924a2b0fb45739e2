package io.pinpipeline.infra.stacks;

import io.pinpipeline.infra.InfraSettings;
import io.pinpipeline.infra.SinkConnectorConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.Instance;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.elasticloadbalancingv2.BaseNetworkListenerProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.elasticloadbalancingv2.NetworkListener;
import software.amazon.awscdk.services.elasticloadbalancingv2.NetworkLoadBalancer;
import software.amazon.awscdk.services.elasticloadbalancingv2.NetworkTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.Protocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.targets.InstanceTarget;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kafkaconnect.CfnConnector;
import software.amazon.awscdk.services.kafkaconnect.CfnCustomPlugin;
import software.amazon.awscdk.services.kafkaconnect.CfnWorkerConfiguration;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.msk.CfnCluster;
import software.amazon.awscdk.services.msk.CfnConfiguration;
import software.amazon.awscdk.services.msk.CfnTopic;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * Streaming ingestion, both lanes' entry points:
 * <ul>
 *   <li>an MSK cluster (one broker per AZ) that takes IAM-authenticated TLS clients only (port 9098), its three
 *       topics {@code <p>.pin|geo|user}, and its bootstrap string (CloudFormation has no attribute for it: a custom
 *       resource asks the Kafka API);</li>
 *   <li>the client host that runs Confluent's Kafka REST proxy with aws-msk-iam-auth (SASL_SSL, AWS_MSK_IAM), behind
 *       an internal network load balancer that the API's VPC link reaches;</li>
 *   <li>MSK Connect: the Confluent S3 sink as a custom plugin, a worker configuration and the connector, configured
 *       from {@code conf/msk-connect/s3-sink.properties};</li>
 *   <li>the Kinesis streams {@code streaming-<p>-pin|geo|user}.</li>
 * </ul>
 */
public final class StreamingStack extends Stack {
    static final String TOPIC_ARN_REASON = "a topic ARN holds the cluster's UUID, known only after creation: the "
            + "wildcard stands for that UUID alone, the cluster and topic names are exact";

    public final CfnCluster cluster;
    public final String clusterName;
    public final String bootstrapServers;
    public final NetworkLoadBalancer restProxyLoadBalancer;
    public final Map<String, Stream> streams = new LinkedHashMap<>();

    public StreamingStack(Construct scope, String id, StackProps props, InfraSettings settings, NetworkStack network,
                          StorageStack storage) {
        super(scope, id, props);
        clusterName = settings.stackName("kafka");
        SubnetSelection privateSubnets = SubnetSelection.builder().subnetType(SubnetType.PRIVATE_WITH_EGRESS).build();
        List<String> subnetIds = network.vpc.selectSubnets(privateSubnets).getSubnetIds();

        // --- MSK ---
        CfnConfiguration brokerConfig = CfnConfiguration.Builder.create(this, "KafkaConfiguration")
                .name(clusterName + "-config")
                .kafkaVersionsList(List.of(settings.msk().kafkaVersion()))
                // Topics are the three this stack declares; a typo in a client must not create a fourth.
                .serverProperties("auto.create.topics.enable=false\ndefault.replication.factor=2\nmin.insync.replicas=1\n")
                .build();
        LogGroup brokerLogs = LogGroup.Builder.create(this, "BrokerLogs").retention(RetentionDays.ONE_MONTH).build();
        cluster = CfnCluster.Builder.create(this, "Kafka")
                .clusterName(clusterName)
                .kafkaVersion(settings.msk().kafkaVersion())
                .numberOfBrokerNodes(2)
                .brokerNodeGroupInfo(CfnCluster.BrokerNodeGroupInfoProperty.builder()
                        .instanceType(settings.msk().brokerInstanceType())
                        .clientSubnets(subnetIds)
                        .securityGroups(List.of(network.msk.getSecurityGroupId()))
                        .storageInfo(CfnCluster.StorageInfoProperty.builder()
                                .ebsStorageInfo(CfnCluster.EBSStorageInfoProperty.builder()
                                        .volumeSize(settings.msk().brokerVolumeGb()).build())
                                .build())
                        .build())
                .clientAuthentication(CfnCluster.ClientAuthenticationProperty.builder()
                        .sasl(CfnCluster.SaslProperty.builder()
                                .iam(CfnCluster.IamProperty.builder().enabled(true).build())
                                .build())
                        .unauthenticated(CfnCluster.UnauthenticatedProperty.builder().enabled(false).build())
                        .build())
                .encryptionInfo(CfnCluster.EncryptionInfoProperty.builder()
                        .encryptionInTransit(CfnCluster.EncryptionInTransitProperty.builder()
                                .clientBroker("TLS").inCluster(true).build())
                        .build())
                .configurationInfo(CfnCluster.ConfigurationInfoProperty.builder()
                        .arn(brokerConfig.getAttrArn()).revision(1).build())
                .loggingInfo(CfnCluster.LoggingInfoProperty.builder()
                        .brokerLogs(CfnCluster.BrokerLogsProperty.builder()
                                .cloudWatchLogs(CfnCluster.CloudWatchLogsProperty.builder()
                                        .enabled(true).logGroup(brokerLogs.getLogGroupName()).build())
                                .build())
                        .build())
                .build();
        for (String kind : InfraSettings.KINDS) {
            CfnTopic.Builder.create(this, "Topic" + capitalized(kind))
                    .clusterArn(cluster.getAttrArn())
                    .topicName(settings.topic(kind))
                    .partitionCount(settings.msk().topicPartitions())
                    .replicationFactor(2)
                    .build();
        }
        bootstrapServers = bootstrapServers();

        // --- the Kafka REST proxy host, behind an internal NLB for the API's VPC link ---
        Role restProxyRole = Role.Builder.create(this, "RestProxyRole")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .description("Kafka REST proxy host: produce to the pipeline's topics (MSK IAM auth); SSM for access")
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")))
                .build();
        Acknowledge.finding(restProxyRole, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore]",
                "Session Manager is how an operator reaches the host (no SSH, no key pair); AWS maintains this policy for it");
        restProxyRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kafka-cluster:Connect", "kafka-cluster:DescribeCluster",
                        "kafka-cluster:WriteDataIdempotently"))
                .resources(List.of(cluster.getAttrArn()))
                .build());
        restProxyRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"))
                .resources(topicArns(settings))
                .build());
        for (String topic : topicArns(settings)) {
            Acknowledge.wildcardResource(restProxyRole.getNode().findChild("DefaultPolicy"), topic, TOPIC_ARN_REASON);
        }
        Instance restProxy = Instance.Builder.create(this, "RestProxyHost")
                .vpc(network.vpc)
                .vpcSubnets(privateSubnets)
                .instanceType(new InstanceType(settings.restProxy().instanceType()))
                .machineImage(MachineImage.latestAmazonLinux2023())
                .securityGroup(network.restProxy)
                .role(restProxyRole)
                .requireImdsv2(true)
                .blockDevices(List.of(BlockDevice.builder().deviceName("/dev/xvda")
                        .volume(BlockDeviceVolume.ebs(16, EbsDeviceOptions.builder().encrypted(true).build())).build()))
                .userData(restProxyUserData(settings, bootstrapServers))
                .userDataCausesReplacement(true)
                .detailedMonitoring(true)
                .build();
        Acknowledge.finding(restProxy, "AwsSolutions-EC29",
                "a stateless host: replaced by its user data whenever its configuration changes, so termination "
                        + "protection and an Auto Scaling group would add nothing");
        restProxyLoadBalancer = NetworkLoadBalancer.Builder.create(this, "RestProxyLoadBalancer")
                .vpc(network.vpc)
                .vpcSubnets(privateSubnets)
                .internetFacing(false)
                .crossZoneEnabled(true)
                .build();
        Acknowledge.finding(restProxyLoadBalancer, "AwsSolutions-ELB2",
                "an internal load balancer reached only by the API's VPC link; API Gateway's access log records every request");
        NetworkListener listener = restProxyLoadBalancer.addListener("RestProxy", BaseNetworkListenerProps.builder()
                .port(settings.restProxy().port()).protocol(Protocol.TCP).build());
        listener.addTargetGroups("RestProxyHost", NetworkTargetGroup.Builder.create(this, "RestProxyTargets")
                .vpc(network.vpc)
                .port(settings.restProxy().port())
                .protocol(Protocol.TCP)
                .targets(List.of(new InstanceTarget(restProxy, settings.restProxy().port())))
                .healthCheck(HealthCheck.builder().protocol(Protocol.HTTP).path("/topics")
                        .interval(Duration.seconds(30)).build())
                .build());

        // --- MSK Connect: the S3 sink ---
        mskConnect(settings, network, storage, subnetIds);

        // --- Kinesis ---
        for (String kind : InfraSettings.KINDS) {
            Stream.Builder stream = Stream.Builder.create(this, "Stream" + capitalized(kind))
                    .streamName(settings.stream(kind))
                    .encryption(StreamEncryption.MANAGED)
                    .retentionPeriod(Duration.hours(settings.kinesis().retentionHours()))
                    .streamMode(settings.kinesis().onDemand() ? StreamMode.ON_DEMAND : StreamMode.PROVISIONED);
            if (!settings.kinesis().onDemand()) {
                stream.shardCount(settings.kinesis().shardCount());
            }
            streams.put(kind, stream.build());
            CfnOutput.Builder.create(this, capitalized(kind) + "StreamName").value(settings.stream(kind)).build();
        }

        CfnOutput.Builder.create(this, "MskBootstrapServers").value(bootstrapServers)
                .description("kafka.bootstrap-servers (SASL_SSL, AWS_MSK_IAM, port 9098)").build();
        CfnOutput.Builder.create(this, "MskClusterArn").value(cluster.getAttrArn()).build();
    }

    /** The cluster's IAM bootstrap string, from the Kafka API at deploy time (no CloudFormation attribute has it). */
    private String bootstrapServers() {
        // "*": parliament's IAM database (and older IAM references) give GetBootstrapBrokers no resource type.
        String servers = CustomResources.read(this, "BootstrapBrokers", "Kafka", "getBootstrapBrokers",
                Map.of("ClusterArn", cluster.getAttrArn()), "BootstrapBrokerStringSaslIam", clusterName + "-bootstrap",
                PolicyStatement.Builder.create().actions(List.of("kafka:GetBootstrapBrokers")).resources(List.of("*")).build());
        Acknowledge.wildcardResource(CustomResources.policy(this, "BootstrapBrokers"), "*",
                "kafka:GetBootstrapBrokers reads connection strings only, and IAM's reference that parliament checks "
                        + "against gives it no resource type");
        getNode().findChild("BootstrapBrokers").getNode().addDependency(cluster);
        return servers;
    }

    /**
     * The host's boot script (Amazon Linux 2023): Java 17, Confluent Community's REST proxy and aws-msk-iam-auth, a
     * client configuration for MSK's IAM listener, and a systemd service that keeps the proxy running.
     */
    static UserData restProxyUserData(InfraSettings settings, String bootstrapServers) {
        InfraSettings.RestProxy proxy = settings.restProxy();
        String confluent = "/opt/confluent-" + proxy.confluentVersion();
        String iamJar = "aws-msk-iam-auth-" + proxy.mskIamAuthVersion() + "-all.jar";
        UserData userData = UserData.forLinux();
        userData.addCommands(
                "set -euo pipefail",
                "dnf install -y java-17-amazon-corretto-headless",
                "curl -fsSL -o /tmp/confluent.tar.gz https://packages.confluent.io/archive/" + proxy.confluentMinor()
                        + "/confluent-community-" + proxy.confluentVersion() + ".tar.gz",
                "tar -xzf /tmp/confluent.tar.gz -C /opt",
                "curl -fsSL -o " + confluent + "/share/java/kafka-rest-lib/" + iamJar
                        + " https://github.com/aws/aws-msk-iam-auth/releases/download/v" + proxy.mskIamAuthVersion() + "/" + iamJar,
                "useradd --system --no-create-home kafka-rest || true",
                "cat > " + confluent + "/etc/kafka-rest/kafka-rest.properties <<'PROPERTIES'",
                "bootstrap.servers=" + bootstrapServers,
                "listeners=http://0.0.0.0:" + proxy.port(),
                "client.security.protocol=SASL_SSL",
                "client.sasl.mechanism=AWS_MSK_IAM",
                "client.sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required;",
                "client.sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler",
                "PROPERTIES",
                "cat > /etc/systemd/system/kafka-rest.service <<'UNIT'",
                "[Unit]",
                "Description=Confluent Kafka REST proxy in front of MSK (IAM auth)",
                "After=network-online.target",
                "[Service]",
                "User=kafka-rest",
                "ExecStart=" + confluent + "/bin/kafka-rest-start " + confluent + "/etc/kafka-rest/kafka-rest.properties",
                "Restart=always",
                "RestartSec=5",
                "[Install]",
                "WantedBy=multi-user.target",
                "UNIT",
                "systemctl daemon-reload",
                "systemctl enable --now kafka-rest");
        return userData;
    }

    private void mskConnect(InfraSettings settings, NetworkStack network, StorageStack storage, List<String> subnetIds) {
        Map<String, String> sinkFile = SinkConnectorConfig.read(settings.home().resolve(InfraSettings.SINK_PROPERTIES));
        Asset pluginZip = Asset.Builder.create(this, "S3SinkPluginZip").path(settings.mskConnect().pluginZip().toString()).build();
        CfnCustomPlugin plugin = CfnCustomPlugin.Builder.create(this, "S3SinkPlugin")
                .name(settings.stackName("s3-sink-plugin"))
                .contentType("ZIP")
                .location(CfnCustomPlugin.CustomPluginLocationProperty.builder()
                        .s3Location(CfnCustomPlugin.S3LocationProperty.builder()
                                .bucketArn(pluginZip.getBucket().getBucketArn())
                                .fileKey(pluginZip.getS3ObjectKey())
                                .build())
                        .build())
                .build();
        CfnWorkerConfiguration worker = CfnWorkerConfiguration.Builder.create(this, "S3SinkWorkerConfiguration")
                .name(settings.stackName("s3-sink-worker"))
                .propertiesFileContent(Base64.getEncoder().encodeToString(
                        SinkConnectorConfig.workerProperties(sinkFile).getBytes(StandardCharsets.UTF_8)))
                .build();

        Role role = Role.Builder.create(this, "S3SinkRole")
                .assumedBy(new ServicePrincipal("kafkaconnect.amazonaws.com"))
                .description("MSK Connect S3 sink: read the pipeline's topics, write the landing bucket's topics/")
                .build();
        IBucket landing = storage.in(this, settings, StorageStack.LANDING);
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"))
                .resources(List.of(landing.getBucketArn()))
                .build());
        String landingTopics = landing.arnForObjects("topics/*");
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"))
                .resources(List.of(landingTopics))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kafka-cluster:Connect", "kafka-cluster:DescribeCluster"))
                .resources(List.of(cluster.getAttrArn()))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"))
                .resources(topicArns(settings))
                .build());
        // MSK Connect keeps the connector's offsets, status and configuration in topics of its own on the cluster.
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData",
                        "kafka-cluster:WriteData"))
                .resources(List.of(kafkaArn("topic", "__amazon_msk_connect_*")))
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"))
                .resources(List.of(kafkaArn("group", "__amazon_msk_connect_*"), kafkaArn("group", "connect-*")))
                .build());

        IConstruct policy = role.getNode().findChild("DefaultPolicy");
        Acknowledge.wildcardResource(policy, landingTopics,
                "the sink names its files <topic>+<partition>+<offset>.json under topics/<topic>/dt=.../: only topics/ is writable");
        for (String topic : topicArns(settings)) {
            Acknowledge.wildcardResource(policy, topic, TOPIC_ARN_REASON);
        }
        Acknowledge.wildcardResource(policy, kafkaArn("topic", "__amazon_msk_connect_*"),
                "MSK Connect names its offsets, status and config topics __amazon_msk_connect_*: those only");
        Acknowledge.wildcardResource(policy, kafkaArn("group", "__amazon_msk_connect_*"),
                "MSK Connect's own consumer groups, named by the service");
        Acknowledge.wildcardResource(policy, kafkaArn("group", "connect-*"),
                "the sink's consumer group is connect-<connector name>; the connector's id is not known before creation");

        LogGroup connectLogs = LogGroup.Builder.create(this, "S3SinkLogs").retention(RetentionDays.ONE_MONTH).build();
        connectLogs.grantWrite(role);
        Map<String, String> connectorConfig = new LinkedHashMap<>(SinkConnectorConfig.connectorConfig(sinkFile,
                settings.prefix(), landing.getBucketName(), getRegion()));
        CfnConnector connector = CfnConnector.Builder.create(this, "S3SinkConnector")
                .connectorName(settings.stackName("s3-sink"))
                .connectorDescription("lands " + settings.prefix() + ".pin|geo|user in the landing bucket, topics/<topic>/dt=YYYY-MM-DD/")
                .kafkaConnectVersion(settings.mskConnect().kafkaConnectVersion())
                .capacity(CfnConnector.CapacityProperty.builder()
                        .provisionedCapacity(CfnConnector.ProvisionedCapacityProperty.builder()
                                .mcuCount(settings.mskConnect().mcuCount())
                                .workerCount(settings.mskConnect().workerCount())
                                .build())
                        .build())
                .connectorConfiguration(connectorConfig)
                .kafkaCluster(CfnConnector.KafkaClusterProperty.builder()
                        .apacheKafkaCluster(CfnConnector.ApacheKafkaClusterProperty.builder()
                                .bootstrapServers(bootstrapServers)
                                .vpc(CfnConnector.VpcProperty.builder()
                                        .subnets(subnetIds)
                                        .securityGroups(List.of(network.mskConnect.getSecurityGroupId()))
                                        .build())
                                .build())
                        .build())
                .kafkaClusterClientAuthentication(CfnConnector.KafkaClusterClientAuthenticationProperty.builder()
                        .authenticationType("IAM").build())
                .kafkaClusterEncryptionInTransit(CfnConnector.KafkaClusterEncryptionInTransitProperty.builder()
                        .encryptionType("TLS").build())
                .plugins(List.of(CfnConnector.PluginProperty.builder()
                        .customPlugin(CfnConnector.CustomPluginProperty.builder()
                                .customPluginArn(plugin.getAttrCustomPluginArn())
                                .revision(plugin.getAttrRevision())
                                .build())
                        .build()))
                .workerConfiguration(CfnConnector.WorkerConfigurationProperty.builder()
                        .workerConfigurationArn(worker.getAttrWorkerConfigurationArn())
                        .revision(worker.getAttrRevision())
                        .build())
                .serviceExecutionRoleArn(role.getRoleArn())
                .logDelivery(CfnConnector.LogDeliveryProperty.builder()
                        .workerLogDelivery(CfnConnector.WorkerLogDeliveryProperty.builder()
                                .cloudWatchLogs(CfnConnector.CloudWatchLogsLogDeliveryProperty.builder()
                                        .enabled(true).logGroup(connectLogs.getLogGroupName()).build())
                                .build())
                        .build())
                .build();
        connector.getNode().addDependency(role);
    }

    /** The ARNs of the pipeline's three topics; the cluster's UUID in them is only known after creation. */
    private List<String> topicArns(InfraSettings settings) {
        List<String> arns = new ArrayList<>();
        for (String kind : InfraSettings.KINDS) {
            arns.add(kafkaArn("topic", settings.topic(kind)));
        }
        return arns;
    }

    /** {@code arn:aws:kafka:<region>:<account>:<type>/<cluster name>/<any cluster uuid>/<name>}. */
    private String kafkaArn(String type, String name) {
        return "arn:" + getPartition() + ":kafka:" + getRegion() + ":" + getAccount() + ":" + type + "/" + clusterName
                + "/*/" + name;
    }

    static String capitalized(String kind) {
        return Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    }
}
