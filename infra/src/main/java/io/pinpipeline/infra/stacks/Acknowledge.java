package io.pinpipeline.infra.stacks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Validations;
import software.constructs.IConstruct;

/**
 * Acknowledges a cdk-nag (AwsSolutions) finding on a construct, with the reason it is accepted. Every accepted
 * finding of the app goes through here, next to the resource it is about; anything not acknowledged fails synthesis.
 */
final class Acknowledge {
    private Acknowledge() {
    }

    /** {@code rule} is a rule id, or one finding of it: {@code AwsSolutions-IAM5[Resource::*]}. */
    static void finding(IConstruct construct, String rule, String reason) {
        Validations.of(construct).acknowledge(Acknowledgment.builder().id(rule).reason(reason).build());
    }

    /**
     * Acknowledges AwsSolutions-IAM5 (wildcard permissions) for one resource of a policy, given as the policy has it
     * (tokens and all): cdk-nag names the finding by the resource as it renders it, {@code <AWS::AccountId>} for a
     * reference, so the finding's id is rendered the same way here.
     */
    static void wildcardResource(IConstruct policy, String resource, String reason) {
        finding(policy, "AwsSolutions-IAM5[Resource::" + nagForm(Stack.of(policy).resolve(resource)) + "]", reason);
    }

    /** cdk-nag's rendering of a resolved value: joins joined, {@code <Name>} for a Ref, {@code <Id.Attr>} for a GetAtt. */
    @SuppressWarnings("unchecked")
    static String nagForm(Object resolved) {
        if (resolved instanceof String text) {
            return text;
        }
        if (resolved instanceof Map<?, ?> map && map.size() == 1) {
            Object join = map.get("Fn::Join");
            if (join instanceof List<?> args && args.size() == 2) {
                return ((List<Object>) args.get(1)).stream().map(Acknowledge::nagForm)
                        .collect(Collectors.joining((String) args.get(0)));
            }
            if (map.get("Ref") instanceof String ref) {
                return "<" + ref + ">";
            }
            if (map.get("Fn::GetAtt") instanceof List<?> attribute) {
                return "<" + attribute.get(0) + "." + attribute.get(1) + ">";
            }
        }
        try {
            return new ObjectMapper().writeValueAsString(resolved);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a resolved CloudFormation value is always JSON", e);
        }
    }
}
