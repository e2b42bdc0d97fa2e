using System.Text.Json.Nodes;
using MediaStack.Core.Diagnosis.Model;
using MediaStack.Core.Errors;
using MediaStack.Core.Manifests;
using MediaStack.Core.Yaml;

namespace MediaStack.Core.Diagnosis.Static;

// Manifest files (or folders of them) -> one subject per workload document, for the static
// check without a cluster. Kinds with a pod template are read; the rest is ignored.
public static class ManifestSubjects
{
    private static readonly HashSet<string> WorkloadKinds = new(StringComparer.Ordinal)
    {
        "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
    };

    // A bad document (or file) goes to `report` and the rest is still read; without
    // `report` the first one is thrown.
    public static IReadOnlyList<DiagnosisSubject> FromPaths(IEnumerable<string> paths, YamlReadLimits? limits = null, Action<MediaStackException>? report = null)
    {
        report ??= error => throw error;
        return FromDocuments(ManifestDocuments.Read(paths.SelectMany(Expand), limits ?? YamlReadLimits.Default, report), report);
    }

    public static IReadOnlyList<DiagnosisSubject> FromText(string yaml, string? file = null, Action<MediaStackException>? report = null)
    {
        report ??= error => throw error;
        return FromDocuments(ManifestDocuments.Good(YamlReader.ReadStream(yaml, file, YamlReadLimits.Default), file, report), report);
    }

    private static List<DiagnosisSubject> FromDocuments(IEnumerable<(string? File, YamlDocument Document)> documents, Action<MediaStackException> report)
    {
        var subjects = new List<DiagnosisSubject>();
        foreach (var (file, document) in documents)
        {
            var root = document.Root!;
            var kind = ManifestDocuments.Text(root, "kind");
            var workload = kind is not null && WorkloadKinds.Contains(kind);
            if (!(workload || kind == "Pod") || !ManifestDocuments.TryName(root, file, document, report, out var name))
            {
                continue;
            }
            if (root["spec"] is not JsonObject spec || (workload && spec["template"] is not JsonObject))
            {
                report(ManifestDocuments.Shape(root, ManifestDocuments.Where(file, document), workload ? "spec.template is not a mapping." : "spec is not a mapping."));
                continue;
            }
            var ns = ManifestDocuments.Text(root, "metadata", "namespace");
            subjects.Add(workload
                ? new DiagnosisSubject(new DiagnosisTarget(ns, name, null, file), root, null, null)
                : new DiagnosisSubject(new DiagnosisTarget(ns, null, name, file), null, root, null));
        }
        return subjects;
    }

    private static IEnumerable<string> Expand(string path)
    {
        if (Directory.Exists(path))
        {
            return Directory.EnumerateFiles(path, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
        }
        if (File.Exists(path))
        {
            return [path];
        }
        throw new MediaStackException(ErrorIds.ManifestPathNotFound, ErrorCategory.ObjectNotFound,
            $"No manifest file or folder at '{path}'.", path, "Give the path of a YAML file or of a folder holding YAML files.");
    }
}
