using MediaStack.Core.Config;
using MediaStack.Core.Diagnosis.Static;
using MediaStack.Core.Errors;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Tests.Manifests;

// The manifest readers report each bad document with a stable id and read every other one.
public sealed class ManifestDocumentsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mediastack-manifests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Good = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: good}\nspec:\n  template:\n    spec:\n      containers:\n      - {name: good, image: nginx}\n";

    private const string Bad =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {namespace: x}\nspec: {template: {spec: {containers: []}}}\n"
        + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: listy}\nspec:\n  template:\n    spec:\n      containers: {a: 1}\n"
        + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: fortytwo}\nspec: 42\n"
        + "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: [a, b]\nspec: {}\n"
        + "---\nkind: Deployment\nmetadata: {name: dup}\nmetadata: {name: dup}\n"
        + "---\n" + Good;

    [Fact]
    public void Get_MediaApp_reads_the_good_documents_and_reports_each_bad_one()
    {
        File.WriteAllText(Path.Combine(_folder, "a-bad.yaml"), Bad);
        File.WriteAllText(Path.Combine(_folder, "b-bomb.yaml"), Yaml.YamlLimitTests.AliasBomb(7));
        File.WriteAllText(Path.Combine(_folder, "c-good.yaml"), Good);
        var errors = new List<MediaStackException>();
        var names = new List<string>();

        // As Get-MediaApp -Path reads a folder.
        foreach (var (_, workload, error) in ManifestScan.Workloads(ManifestScan.Documents(_folder), MediaStackConfig.Default))
        {
            if (error is not null)
            {
                errors.Add(error);
            }
            else
            {
                names.Add(workload!.Name);
            }
        }

        Assert.Equal(["good", "good"], names);
        Assert.Equal(
            [ErrorIds.ManifestNameMissing, ErrorIds.InvalidWorkloadShape, ErrorIds.InvalidWorkloadShape, ErrorIds.InvalidWorkloadShape, ErrorIds.YamlSyntaxError, ErrorIds.YamlLimitExceeded],
            errors.Select(error => error.ErrorId));
        Assert.Equal($"{Path.Combine(_folder, "a-bad.yaml")}(3,1): the Deployment in document 1 has no metadata.name; it was skipped.", errors[0].Message);
        Assert.Contains("document 2", errors[1].Message);
        Assert.Contains("'listy'", errors[1].Message);
        Assert.Contains("spec is 42, not a mapping", errors[2].Message);
        Assert.All(errors, error => Assert.False(string.IsNullOrEmpty(error.RecommendedAction)));
    }

    [Fact]
    public void The_static_diagnosis_reads_the_good_documents_and_reports_each_bad_one()
    {
        var read = ManifestSubjects.FromText(Bad, MediaStackConfig.Default, "bad.yaml");

        Assert.Equal(["good"], read.Subjects.Select(subject => subject.Target.Deployment));
        Assert.Equal(
            [ErrorIds.ManifestNameMissing, ErrorIds.InvalidWorkloadShape, ErrorIds.InvalidWorkloadShape, ErrorIds.InvalidWorkloadShape, ErrorIds.YamlSyntaxError],
            read.Errors.Select(error => error.ErrorId));
    }
}
