using MediaStack.Core.Errors;
using MediaStack.Core.Workloads;
using static MediaStack.Core.Tests.Workloads.Manifest;

namespace MediaStack.Core.Tests.Workloads;

// How every -Path finds manifests: files and documents, what is skipped, what is flagged,
// and one error per document that cannot be read while the others still are.
public sealed class ManifestScanTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mediastack-scan-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private const string Plex = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: plex}\nspec: {template: {spec: {containers: [{name: plex, image: x}]}}}\n";

    private string Relative(string path) => Path.GetRelativePath(_root, path).Replace('\\', '/');

    [Fact]
    public void A_folder_is_walked_for_yaml_files_in_ordinal_order_skipping_hidden_ones()
    {
        Write("b/plex.yaml", Plex);
        Write("a/Sonarr.YML", Plex);
        Write("a/readme.md", "# not yaml");
        Write(".git/config.yaml", Plex);
        Write("apps/.staging/plex.yaml", Plex);
        Write("apps/.hidden.yaml", Plex);
        Write("root.yaml", Plex);

        Assert.Equal(["a/Sonarr.YML", "b/plex.yaml", "root.yaml"], ManifestScan.Files(_root).Select(Relative));
        Assert.Equal([Path.Combine(_root, "root.yaml")], ManifestScan.Files(Path.Combine(_root, "root.yaml")));
    }

    [Fact]
    public void A_symlinked_folder_is_not_followed()
    {
        Write("apps/plex.yaml", Plex);
        Directory.CreateSymbolicLink(Path.Combine(_root, "loop"), _root);

        Assert.Equal(["apps/plex.yaml"], ManifestScan.Files(_root).Select(Relative));
    }

    [Fact]
    public void A_missing_path_is_a_clear_error()
    {
        var error = Assert.Throws<MediaStackException>(() => ManifestScan.Files(Path.Combine(_root, "nope")));

        Assert.Equal((ErrorIds.ManifestPathNotFound, ErrorCategory.ObjectNotFound), (error.ErrorId, error.Category));
        Assert.Equal("Give the path of a YAML file or of a folder holding YAML files.", error.RecommendedAction);
    }

    [Fact]
    public void Documents_are_indexed_per_file_and_only_workloads_are_workloads()
    {
        var file = Write("deployment.yaml", "# svc\napiVersion: v1\nkind: Service\nmetadata: {name: plex}\n---\n" + Plex + "---\nkind: ConfigMap\nmetadata: {name: c}\n");
        Write("kustomization.yaml", "resources:\n- deployment.yaml\n");

        var documents = ManifestScan.Documents(_root).ToList();

        Assert.Equal(
            ["deployment.yaml#0 Service", "deployment.yaml#1 Deployment", "deployment.yaml#2 ConfigMap", "kustomization.yaml#0 "],
            documents.Select(d => $"{Relative(d.Source)}#{d.Index} {d.Kind}"));
        var workload = Assert.Single(documents, d => d.IsWorkload);
        Assert.Equal(("plex", 1, $"{file} (document 2)"), (workload.Name, workload.Index, workload.Display));
        Assert.Equal("plex", Assert.Single(ManifestScan.Workloads(documents, StackConfig)).Workload!.Name);
    }

    [Fact]
    public void Kustomize_patches_are_fragments_not_workloads()
    {
        Write("overlays/prod/kustomization.yaml", "resources: [../../base]\npatches:\n- path: sidecars.yaml\npatchesStrategicMerge:\n- resources.yaml\n");
        Write("overlays/prod/sidecars.yaml", Plex);
        Write("overlays/prod/resources.yaml", Plex);
        Write("base/deployment.yaml", Plex);

        var documents = ManifestScan.Documents(_root).Where(d => d.Kind == "Deployment").ToList();

        Assert.Equal(["base/deployment.yaml False", "overlays/prod/resources.yaml True", "overlays/prod/sidecars.yaml True"],
            documents.Select(d => $"{Relative(d.Source)} {d.IsPatch}"));
        Assert.Equal(["base/deployment.yaml"], documents.Where(d => d.IsWorkload).Select(d => Relative(d.Source)));
    }

    [Fact]
    public void A_kustomization_named_Kustomization_lists_patches_too()
    {
        Write("overlays/dev/Kustomization", "resources: [../../base]\npatchesStrategicMerge:\n- sidecars.yaml\n");
        Write("overlays/dev/sidecars.yaml", Plex);

        var patch = Assert.Single(ManifestScan.Documents(Path.Combine(_root, "overlays")));

        Assert.Equal(("overlays/dev/sidecars.yaml", true, false), (Relative(patch.Source), patch.IsPatch, patch.IsWorkload));
    }

    [Fact]
    public void A_go_template_is_flagged_and_not_read()
    {
        var template = Write("chart/templates/deployment.yaml", "# {{ comments do not count }}\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n");
        Write("chart/values.yaml", "# {{ not a template }}\nimage: x\n");
        // The seed template's checksum annotations: text in quotes, applied as it is.
        Write("seed/deployment.yaml", Plex.Replace("metadata: {name: plex}", "metadata: {name: plex, annotations: {checksum/config: \"{{ .Values.checksum }}\", note: 'a {{ b }}'}}"));

        var documents = ManifestScan.Documents(_root).ToList();

        var flagged = Assert.Single(documents, d => d.IsTemplate);
        Assert.Equal((template, 0, null, null), (flagged.Source, flagged.Index, flagged.Document, flagged.Error));
        Assert.False(flagged.IsWorkload);
        Assert.False(Assert.Single(documents, d => d.Source.EndsWith("values.yaml")).IsTemplate);
        var seed = Assert.Single(documents, d => d.Source.EndsWith("seed/deployment.yaml"));
        Assert.True(seed.IsWorkload);
        Assert.Equal("{{ .Values.checksum }}", (string?)seed.Document!["metadata"]!["annotations"]!["checksum/config"]);
    }

    [Fact]
    public void Each_bad_document_is_one_error_and_the_others_are_still_read()
    {
        Write("a-broken.yaml", "kind: Deployment\nspec:\n  a: [1, 2\n  b: 3\n");
        Write("b-shape.yaml", "kind: Deployment\nmetadata: [x]\n---\n" + Plex);

        var results = ManifestScan.Workloads(ManifestScan.Documents(_root), StackConfig).ToList();

        Assert.Equal(3, results.Count);
        var syntax = Assert.IsType<MediaStack.Core.Yaml.YamlSyntaxException>(results[0].Error);
        Assert.Equal("YamlSyntaxError", syntax.ErrorId);
        Assert.True(syntax.Line >= 3);
        Assert.StartsWith(Path.Combine(_root, "a-broken.yaml") + "(", syntax.Message);
        Assert.Equal((ErrorIds.InvalidWorkloadShape, $"{Path.Combine(_root, "b-shape.yaml")}: metadata is a list, not a mapping."), (results[1].Error!.ErrorId, results[1].Error!.Message));
        Assert.Equal("plex", results[2].Workload!.Name);
        Assert.Null(results[2].Error);
    }

    [Fact]
    public void Pipeline_text_is_read_as_documents_of_no_file()
    {
        var documents = ManifestScan.FromText("---\n" + Plex + "---\n---\n" + Plex.Replace("plex", "sonarr"));

        Assert.Equal(["(pipeline)#0 plex", "(pipeline)#1 sonarr"], documents.Select(d => $"{d.Source}#{d.Index} {d.Name}"));
        Assert.Equal("(pipeline)", documents[0].Display);
    }

    [Fact]
    public void A_file_of_services_and_routes_holds_no_workload()
    {
        var file = Write("service.yaml", "kind: Service\nmetadata: {name: x}\n---\nkind: Route\nmetadata: {name: x}\n");

        Assert.Empty(ManifestScan.Workloads(ManifestScan.Documents(file), StackConfig));
        Assert.Equal(2, ManifestScan.Documents(file).Count());
    }

    [Fact]
    public void A_path_without_a_workload_says_where_to_point_instead()
    {
        var error = ManifestScan.NoWorkload("apps/plex/service.yaml");

        Assert.Equal((ErrorIds.NoDeploymentInFile, "No Deployment, StatefulSet, DaemonSet or Pod in 'apps/plex/service.yaml'."), (error.ErrorId, error.Message));
        Assert.StartsWith("Point -Path at the file or folder holding the app's workload", error.RecommendedAction);
    }
}
