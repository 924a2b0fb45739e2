package io.pinpipeline.infra.stacks;

import io.pinpipeline.infra.InfraSettings;
import java.util.List;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The VPC (two AZs: a public subnet each for the NAT gateway and the private subnets with egress where everything
 * runs), an S3 gateway endpoint (the connector's writes stay off the NAT), flow logs, and one security group per
 * kind of talker, with only the rules that must be there:
 * <ul>
 *   <li>MSK takes IAM-authenticated TLS (9098) from the REST proxy host and from MSK Connect, nothing else;</li>
 *   <li>the REST proxy host takes its port from inside the VPC only (the API's VPC link reaches it through an
 *       internal network load balancer, whose traffic comes from the load balancer's private addresses);</li>
 *   <li>MWAA's workers talk to each other (MWAA requires the self-reference) and reach AWS over 443.</li>
 * </ul>
 */
public final class NetworkStack extends Stack {
    public static final int MSK_IAM_PORT = 9098;

    public final Vpc vpc;
    public final SecurityGroup msk;
    public final SecurityGroup restProxy;
    public final SecurityGroup mskConnect;
    public final SecurityGroup mwaa;

    public NetworkStack(Construct scope, String id, StackProps props, InfraSettings settings) {
        super(scope, id, props);
        vpc = Vpc.Builder.create(this, "Vpc")
                .ipAddresses(IpAddresses.cidr(settings.network().cidr()))
                .maxAzs(2)
                .natGateways(settings.network().natGateways())
                .subnetConfiguration(List.of(
                        SubnetConfiguration.builder().name("public").subnetType(SubnetType.PUBLIC).cidrMask(24).build(),
                        SubnetConfiguration.builder().name("private").subnetType(SubnetType.PRIVATE_WITH_EGRESS)
                                .cidrMask(20).build()))
                .gatewayEndpoints(java.util.Map.of("S3", GatewayVpcEndpointOptions.builder()
                        .service(GatewayVpcEndpointAwsService.S3).build()))
                .build();
        LogGroup flowLogs = LogGroup.Builder.create(this, "FlowLogs").retention(RetentionDays.ONE_MONTH).build();
        vpc.addFlowLog("FlowLog", FlowLogOptions.builder()
                .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                .trafficType(FlowLogTrafficType.REJECT)
                .build());

        msk = group("Msk", "MSK brokers: IAM-authenticated TLS from the REST proxy host and MSK Connect only", false);
        restProxy = group("RestProxy", "Kafka REST proxy host: its port from inside the VPC (the load balancer of the API)", true);
        mskConnect = group("MskConnect", "MSK Connect workers: to MSK and S3", true);
        mwaa = group("Mwaa", "MWAA: its workers and web server among themselves, AWS APIs over 443", true);

        msk.addIngressRule(restProxy, Port.tcp(MSK_IAM_PORT), "REST proxy produces with IAM auth");
        msk.addIngressRule(mskConnect, Port.tcp(MSK_IAM_PORT), "the S3 sink consumes with IAM auth");
        restProxy.addIngressRule(Peer.ipv4(vpc.getVpcCidrBlock()), Port.tcp(settings.restProxy().port()),
                "the API's VPC link, through the internal network load balancer");
        mwaa.addIngressRule(mwaa, Port.allTraffic(), "MWAA requires its security group to reference itself");
        Acknowledge.finding(restProxy, "AwsSolutions-EC23",
                "the one ingress rule is the VPC's own CIDR (an intrinsic, which the rule cannot evaluate), never 0.0.0.0/0");
    }

    private SecurityGroup group(String id, String description, boolean allowAllOutbound) {
        return SecurityGroup.Builder.create(this, id + "SecurityGroup")
                .vpc(vpc)
                .description(description)
                .allowAllOutbound(allowAllOutbound)
                .build();
    }
}
