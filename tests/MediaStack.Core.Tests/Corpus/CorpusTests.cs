using MediaStack.Core.Reconcile;
using MediaStack.Core.Workloads;

namespace MediaStack.Core.Tests.Corpus;

// Every layout of tests/corpus against its golden files (classification, static findings,
// the diffs of Add, Remove and Repair), and the round trips Add and Remove promise, on
// repositories written the way other people write them. MEDIASTACK_UPDATE_GOLDEN=1 rewrites
// the golden files instead of comparing (then read every diff before committing it).
public class CorpusTests
{
    public static TheoryData<string> Layouts() => new(CorpusRepository.Layouts());

    private static void Golden(string layout, string name, string actual) => CorpusRepository.Golden(layout, name, actual);

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Classification(string layout)
    {
        using var repo = new CorpusRepository(layout);
        Golden(layout, "classification.txt", repo.Classification());
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Findings(string layout)
    {
        using var repo = new CorpusRepository(layout);
        Golden(layout, "findings.txt", repo.FindingsText());
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Add(string layout)
    {
        using var repo = new CorpusRepository(layout);
        var before = repo.Snapshot();
        var results = repo.Apply(new ChangeRequest { Action = ChangeAction.AddSidecars });
        Golden(layout, "add.diff", results + "\n" + repo.Diff(before));
        // A second run finds nothing to do and writes nothing.
        var after = repo.Snapshot();
        var again = repo.Apply(new ChangeRequest { Action = ChangeAction.AddSidecars });
        Assert.DoesNotContain(": Changed", again);
        Assert.Equal("", repo.Diff(after));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Remove(string layout)
    {
        using var repo = new CorpusRepository(layout);
        var before = repo.Snapshot();
        var results = repo.Apply(new ChangeRequest { Action = ChangeAction.RemoveSidecars });
        Golden(layout, "remove.diff", results + "\n" + repo.Diff(before));
        var after = repo.Snapshot();
        Assert.DoesNotContain(": Changed", repo.Apply(new ChangeRequest { Action = ChangeAction.RemoveSidecars }));
        Assert.Equal("", repo.Diff(after));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Repair(string layout)
    {
        using var repo = new CorpusRepository(layout);
        var before = repo.Snapshot();
        var results = repo.Repair();
        Golden(layout, "repair.diff", results + "\n" + repo.Diff(before));
        // What Repair fixed is gone from the diagnosis; a second repair writes nothing.
        var after = repo.Snapshot();
        repo.Repair();
        Assert.Equal("", repo.Diff(after));
    }

    // Remove(Add(Remove(F))) = Remove(F), Add(Add(F)) = Add(F), Remove(Remove(F)) = Remove(F),
    // byte for byte, for every file (Remove keeps the HostToContainer Add gave the app); and
    // Remove(Add(F)) = F where F's apps have no sidecars, no init-dirs, no rclone secret
    // volumes and HostToContainer already.
    [Theory]
    [MemberData(nameof(Layouts))]
    public void Round_trips_are_exact(string layout)
    {
        using var repo = new CorpusRepository(layout);
        var original = repo.Snapshot();
        var add = new ChangeRequest { Action = ChangeAction.AddSidecars };
        var remove = new ChangeRequest { Action = ChangeAction.RemoveSidecars };
        var pristine = original.Keys.Where(file => IsPristine(file)).ToList();

        repo.Apply(add);
        var added = repo.Snapshot();
        repo.Apply(add);
        Same("Add(Add(F)) = Add(F)", repo, added);

        Restore(original);
        repo.Apply(remove);
        var removed = repo.Snapshot();
        repo.Apply(remove);
        Same("Remove(Remove(F)) = Remove(F)", repo, removed);

        // Add gives the app it changes HostToContainer where it lacks it, and Remove keeps it
        // (harmless, and maybe there before): the one difference the law allows.
        repo.Apply(add);
        var changedByAdd = repo.Snapshot().Where(file => file.Value != removed[file.Key]).Select(file => file.Key).ToHashSet();
        Restore(removed);
        repo.Apply(new ChangeRequest { Action = ChangeAction.Repair, Findings = repo.Findings().Where(f => f.RuleId == "MS103" && changedByAdd.Contains(f.File!)).ToList() });
        var removedWithPropagation = repo.Snapshot();
        Restore(removed);
        repo.Apply(add);
        repo.Apply(remove);
        Same("Remove(Add(Remove(F))) = Remove(F), but for the app's HostToContainer", repo, removedWithPropagation);

        Restore(original);
        repo.Apply(add);
        repo.Apply(remove);
        Same("Remove(Add(F)) = F for apps without sidecars", repo, original, pristine);
    }

    private static void Same(string law, CorpusRepository repo, IReadOnlyDictionary<string, string> expected, IEnumerable<string>? files = null)
    {
        var now = repo.Snapshot();
        foreach (var file in files ?? expected.Keys)
        {
            Assert.True(expected[file] == now[file], $"{law} fails for {repo.Relative(file)}:\n{Core.Yaml.Editing.UnifiedDiff.Create(expected[file], now[file], "expected", "actual")}");
        }
    }

    private static void Restore(IReadOnlyDictionary<string, string> files)
    {
        foreach (var (file, text) in files)
        {
            File.WriteAllText(file, text);
        }
    }

    // Every workload of the file is a media app with no rclone sidecar, no init-dirs, no
    // secret volume and HostToContainer on its media mount (and the file holds one at least).
    private static bool IsPristine(string file)
    {
        var workloads = ManifestScan.Workloads(ManifestScan.Documents(file), CorpusRepository.Config).ToList();
        return workloads.Count > 0 && workloads.All(entry => entry.Workload is { Kind: WorkloadKind.MediaApp } workload
            && !workload.RcloneMounts.Any() && !workload.InitDirs.Any()
            && !workload.Volumes.Any(volume => volume["secret"] is not null)
            && workload.App!.MountsOf(workload.MediaVolume!.Name).All(mount => WorkloadContainer.Propagation(mount.Mount) == "HostToContainer"));
    }
}
