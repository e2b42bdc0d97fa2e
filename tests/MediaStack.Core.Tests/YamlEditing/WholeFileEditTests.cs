using System.Text;
using MediaStack.Core.Errors;
using MediaStack.Core.Reconcile;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Tests.Corpus;
using MediaStack.Core.Workloads;
using MediaStack.Core.Yaml.Editing;

namespace MediaStack.Core.Tests.YamlEditing;

// Whole files through the reconciler (read, plan, edit in place, write), on corpus layouts:
// the 4-space file with indented sequences, comments, flow collections and quoted strings
// (four-space), the sandbox scenario written in flow style (flow-style) and the seed
// toolkit's template (seed-template). Their plain Add/Remove/Repair diffs are the corpus'
// golden files; here: native mode, -Update, CRLF and BOM byte for byte, and bad input.
public class WholeFileEditTests
{
    private static readonly ChangeRequest Add = new() { Action = ChangeAction.AddSidecars };
    private static readonly ChangeRequest Remove = new() { Action = ChangeAction.RemoveSidecars };

    // The results and the diff of one request, compared with a golden file of the layout.
    private static void Golden(CorpusRepository repo, string name, ChangeRequest request)
    {
        var before = repo.Snapshot();
        var results = repo.Apply(request);
        CorpusRepository.Golden(repo.Layout, name, results + "\n" + repo.Diff(before));
    }

    [Fact]
    public void Native_mode_in_the_four_space_file()
    {
        using var repo = new CorpusRepository("four-space");

        Golden(repo, "add-native.diff", Add with { Mode = SidecarMode.Native });

        var native = repo.Snapshot();
        Assert.DoesNotContain(": Changed", repo.Apply(Add));
        Assert.Equal(native, repo.Snapshot());
    }

    [Fact]
    public void The_seed_template_gets_its_preStop_hooks_only_when_asked()
    {
        using var repo = new CorpusRepository("seed-template");

        Golden(repo, "add-update-prestop.diff", Add with { Refresh = SidecarRefresh.PreStop });
    }

    [Fact]
    public void Remove_with_ResetPropagation_restores_the_file_byte_for_byte()
    {
        using var repo = new CorpusRepository("four-space");
        var original = repo.Snapshot();

        repo.Apply(Add);
        Assert.NotEqual(original, repo.Snapshot());
        repo.Apply(Remove with { ResetPropagation = true });

        Assert.Equal(original, repo.Snapshot());
    }

    [Fact]
    public void CRLF_files_are_edited_exactly_as_their_LF_twins()
    {
        using var repo = new CorpusRepository("four-space");
        var (file, lf, addedLf) = BeforeAndAfterAdd(repo);
        File.WriteAllText(file, Crlf(lf));

        repo.Apply(Add);
        Assert.Equal(Crlf(addedLf), File.ReadAllText(file));
        repo.Apply(Remove with { ResetPropagation = true });
        Assert.Equal(Crlf(lf), File.ReadAllText(file));
    }

    private static string Crlf(string text) => text.Replace("\n", "\r\n");

    // bazarr.yaml of the layout as it is and as Add leaves it; the file is put back.
    private static (string File, string Lf, string AddedLf) BeforeAndAfterAdd(CorpusRepository repo)
    {
        var file = Path.Combine(repo.Root, "bazarr.yaml");
        var lf = File.ReadAllText(file);
        repo.Apply(Add);
        var addedLf = File.ReadAllText(file);
        repo.Apply(Remove with { ResetPropagation = true });
        return (file, lf, addedLf);
    }

    [Fact]
    public void A_UTF16_CRLF_file_from_Windows_PowerShell_is_edited_in_its_own_encoding()
    {
        // Out-File or > in Windows PowerShell 5.1: UTF-16LE with BOM; Notepad line ends.
        using var repo = new CorpusRepository("four-space");
        var (file, lf, addedLf) = BeforeAndAfterAdd(repo);
        var unicode = new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        var original = "# Zürich cluster, café\r\n" + Crlf(lf);
        File.WriteAllText(file, original, unicode);

        repo.Apply(Add);
        var added = File.ReadAllBytes(file);
        Assert.Equal(unicode.GetPreamble(), added[..2]);
        Assert.Equal("# Zürich cluster, café\r\n" + Crlf(addedLf), unicode.GetString(added, 2, added.Length - 2));

        repo.Apply(Remove with { ResetPropagation = true });
        Assert.Equal([.. unicode.GetPreamble(), .. unicode.GetBytes(original)], File.ReadAllBytes(file));
    }

    [Fact]
    public void A_cp1252_file_is_FileEncodingInvalid_and_stays_byte_for_byte()
    {
        // Set-Content in Windows PowerShell 5.1 writes the ANSI code page.
        using var repo = new CorpusRepository("four-space");
        var file = Path.Combine(repo.Root, "bazarr.yaml");
        var bytes = Encoding.Latin1.GetBytes("# café\n" + File.ReadAllText(file));
        File.WriteAllBytes(file, bytes);

        var results = repo.Apply(Add);

        Assert.Contains($"error {ErrorIds.FileEncodingInvalid}: ", results);
        Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    [Fact]
    public void A_file_changed_after_it_was_read_is_not_overwritten()
    {
        using var repo = new CorpusRepository("four-space");
        var file = Path.Combine(repo.Root, "bazarr.yaml");
        var document = ManifestScan.Documents(file).Single(candidate => candidate.IsWorkload);
        var edit = ManifestFiles.Edit(file, document.Index, document.Name!, [JsonPatch.PatchOperation.Add("/metadata/labels/edited", "yes")]);
        File.AppendAllText(file, "# added by someone else\n");

        var error = Assert.Throws<MediaStackException>(() => ManifestFiles.Write(edit));

        Assert.Equal(ErrorIds.PathNotWritable, error.ErrorId);
        Assert.EndsWith("# added by someone else\n", File.ReadAllText(file));
    }

    [Fact]
    public void Flow_style_manifests_keep_their_style()
    {
        using var repo = new CorpusRepository("flow-style");
        var original = repo.Read("sonarr.yaml");

        repo.Apply(Add);

        // One flow mapping changes, in place: the app's mount gets HostToContainer.
        var added = repo.Read("sonarr.yaml");
        Assert.Equal(
            original.Replace("        - {name: media-storage, mountPath: /mnt/media, mountPropagation: None}\n", "        - {name: media-storage, mountPath: /mnt/media, mountPropagation: HostToContainer}\n"),
            added);

        repo.Apply(Remove with { Mounts = ["zurg"] });

        // The flow command of init-dirs loses the mount point, and nothing else changes style.
        var removed = repo.Read("sonarr.yaml");
        Assert.Contains("        command: [/bin/sh, -c, \"mkdir -p /mnt/media/torbox\"]\n", removed);
        Assert.DoesNotContain("rclone-zurg", removed);
        Assert.Contains("        args: [mount, \"torbox:\", /mnt/media/torbox, --config=/config/rclone/rclone.conf, --allow-other, --dir-cache-time=10s, --rc, --rc-no-auth, --rc-addr=127.0.0.1:5573, --log-level=INFO]\n", removed);
        Assert.Contains("      - name: rclone-config\n        secret: {secretName: rclone-config, defaultMode: 0400}\n", removed);
    }

    [Fact]
    public void Writing_keeps_the_byte_order_mark_and_the_permissions()
    {
        using var repo = new CorpusRepository("four-space");
        var (file, _, added) = BeforeAndAfterAdd(repo);
        File.WriteAllText(file, File.ReadAllText(file), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }

        repo.Apply(Add);

        var bytes = File.ReadAllBytes(file);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal(added, new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(file));
        }
        Assert.Equal([file], Directory.GetFiles(repo.Root));
    }

    [Fact]
    public async Task A_read_only_file_is_refused_before_anything_is_written()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        using var repo = new CorpusRepository("four-space");
        var file = Path.Combine(repo.Root, "bazarr.yaml");
        var original = File.ReadAllText(file);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var document = ManifestScan.Documents(file).Single(candidate => candidate.IsWorkload);
        var reconciler = new Reconciler(CorpusRepository.Config, () => throw new InvalidOperationException("no cluster"));

        var error = await Assert.ThrowsAsync<MediaStackException>(() =>
            reconciler.PrepareAsync(new FileTarget(file, document.Index, document.Document!), Add, new ReconcileOptions(), CancellationToken.None));

        Assert.Equal((ErrorIds.PathNotWritable, $"'{file}' is read-only; nothing was written."), (error.ErrorId, error.Message));
        Assert.Equal(original, File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFiles(repo.Root));
    }

    [Fact]
    public async Task A_file_changed_since_it_was_read_is_not_edited_blindly()
    {
        using var repo = new CorpusRepository("four-space");
        var file = Path.Combine(repo.Root, "bazarr.yaml");
        var document = ManifestScan.Documents(file).Single(candidate => candidate.IsWorkload);
        File.WriteAllText(file, File.ReadAllText(file).Replace("apiVersion: v1\nkind: Service\nmetadata: {name: bazarr, namespace: media-stack}\nspec:\n    ports: [{port: 6767, name: http}]\n---\n", ""));
        var reconciler = new Reconciler(CorpusRepository.Config, () => throw new InvalidOperationException("no cluster"));

        var error = await Assert.ThrowsAsync<MediaStackException>(() =>
            reconciler.PrepareAsync(new FileTarget(file, document.Index, document.Document!), Add, new ReconcileOptions(), CancellationToken.None));

        Assert.Equal((ErrorIds.DeploymentNotFound, $"'{file}' changed while it was being edited; 'bazarr' is no longer where it was."), (error.ErrorId, error.Message));
    }
}
