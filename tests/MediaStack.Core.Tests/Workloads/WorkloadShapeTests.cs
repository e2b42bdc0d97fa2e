using MediaStack.Core.Errors;
using MediaStack.Core.Workloads;
using static MediaStack.Core.Tests.Workloads.Manifest;

namespace MediaStack.Core.Tests.Workloads;

// A document the API server would refuse is one clear error naming the field, never a
// NullReferenceException or a wrong model.
public class WorkloadShapeTests
{
    private static WorkloadShapeException Refused(string yaml) => Assert.Throws<WorkloadShapeException>(() => Of(yaml));

    private const string Good = "{containers: [{name: x, image: y}]}";

    [Theory]
    [InlineData("kind: Deployment\nmetadata: [a]\nspec: {template: {spec: GOOD}}", "metadata", "metadata is a list, not a mapping.")]
    [InlineData("kind: Deployment\nspec: {template: {spec: GOOD}}", "metadata", "metadata is missing.")]
    [InlineData("kind: Deployment\nmetadata: {labels: {a: b}}\nspec: {template: {spec: GOOD}}", "metadata.name", "metadata.name is missing.")]
    [InlineData("kind: Deployment\nmetadata: {name: 42}\nspec: {template: {spec: GOOD}}", "metadata.name", "metadata.name is 42, not a name.")]
    [InlineData("kind: Deployment\nmetadata: {name: x, labels: [app]}\nspec: {template: {spec: GOOD}}", "metadata.labels", "'x': metadata.labels is a list, not a mapping.")]
    [InlineData("kind: Deployment\nmetadata: {name: x, annotations: text}\nspec: {template: {spec: GOOD}}", "metadata.annotations", "'x': metadata.annotations is the text 'text', not a mapping.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}", "spec", "'x': spec is missing.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: 42", "spec", "'x': spec is 42, not a mapping.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {replicas: 1}", "spec.template", "'x': spec.template is missing.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {template: {metadata: [a], spec: GOOD}}", "spec.template.metadata", "'x': spec.template.metadata is a list, not a mapping.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {template: {metadata: {}}}", "spec.template.spec", "'x': spec.template.spec is missing.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {volumes: []}}}", "spec.template.spec.containers", "'x': spec.template.spec.containers is missing.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: {name: x}}}}", "spec.template.spec.containers", "'x': spec.template.spec.containers is a mapping, not a list.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {initContainers: text, containers: []}}}", "spec.template.spec.initContainers", "'x': spec.template.spec.initContainers is the text 'text', not a list.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [plex]}}}", "spec.template.spec.containers[0]", "'x': spec.template.spec.containers[0] is the text 'plex', not a mapping.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [{image: y}]}}}", "spec.template.spec.containers[0].name", "'x': spec.template.spec.containers[0].name is missing.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [{name: [a]}]}}}", "spec.template.spec.containers[0].name", "'x': spec.template.spec.containers[0].name is a list, not a name.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [{name: a, command: rclone mount}]}}}", "spec.template.spec.containers[0].command", "'x': spec.template.spec.containers[0].command is the text 'rclone mount', not a list.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [{name: a, volumeMounts: {name: m}}]}}}", "spec.template.spec.containers[0].volumeMounts", "'x': spec.template.spec.containers[0].volumeMounts is a mapping, not a list.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [{name: a, volumeMounts: [{name: m}]}]}}}", "spec.template.spec.containers[0].volumeMounts[0]", "'x': spec.template.spec.containers[0].volumeMounts[0] is not a mapping with a name and a mountPath.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [{name: a, securityContext: [privileged]}]}}}", "spec.template.spec.containers[0].securityContext", "'x': spec.template.spec.containers[0].securityContext is a list, not a mapping.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [], volumes: {name: m}}}}", "spec.template.spec.volumes", "'x': spec.template.spec.volumes is a mapping, not a list.")]
    [InlineData("kind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: [], volumes: [{emptyDir: {}}]}}}", "spec.template.spec.volumes[0]", "'x': spec.template.spec.volumes[0] is not a mapping with a name.")]
    [InlineData("kind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a}, {name: b, args: [mount, {zurg: null}]}]}", "spec.containers[1].args[1]", "'p': spec.containers[1].args[1] is a mapping, not a string (an unquoted word ending in ':' such as zurg: is a mapping in YAML: quote it).")]
    public void Each_malformed_shape_names_its_field(string yaml, string field, string message)
    {
        var error = Refused(yaml.Replace("GOOD", Good));

        Assert.Equal((ErrorIds.InvalidWorkloadShape, field, message), (error.ErrorId, error.Field, error.Message));
        Assert.Equal(ErrorCategory.InvalidData, error.Category);
        Assert.StartsWith("Fix the manifest", error.RecommendedAction);
    }

    [Fact]
    public void A_document_of_another_kind_is_refused_by_kind()
    {
        var error = Refused("kind: Service\nmetadata: {name: web}\nspec: {}\n");

        Assert.Equal(("kind", "'web': kind 'Service' is not a Deployment, StatefulSet, DaemonSet, ReplicaSet or Pod."), (error.Field, error.Message));
    }

    [Fact]
    public void A_live_pod_is_checked_as_a_pod()
    {
        var error = Assert.Throws<WorkloadShapeException>(() => Workload.FromPod(Document("kind: Pod\nmetadata: {name: p}\nspec: {containers: {}}\n"), "owner", StackConfig));

        Assert.Equal("'p': spec.containers is a mapping, not a list.", error.Message);
    }

    [Fact]
    public void Unknown_fields_and_scalars_where_the_model_reads_nothing_are_left_to_the_api_server()
    {
        var workload = Of("""
            kind: StatefulSet
            metadata: {name: x, futureField: [1]}
            spec:
              replicas: many
              template:
                spec:
                  containers: [{name: x, image: 7, ports: {oops: true}, env: text, volumeMounts: [{name: m, mountPath: /mnt/media, mountPropagation: 3}]}]
            """);

        Assert.Equal("x", workload.App!.Name);
        Assert.Equal("", workload.App.Image);
        Assert.Equal("None", WorkloadContainer.Propagation(workload.AppMediaMount!.Value.Mount));
    }
}
