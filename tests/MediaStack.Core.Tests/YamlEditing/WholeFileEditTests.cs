using MediaStack.Core.Config;
using MediaStack.Core.Sidecars;
using MediaStack.Core.Sidecars.Reconcile;
using MediaStack.Core.Yaml.Editing;

namespace MediaStack.Core.Tests.YamlEditing;

// Whole files before and after: a 4-space file with indented sequences, comments, flow
// collections and quoted strings, in LF and CRLF, through the file API (find, edit, write).
public class WholeFileEditTests : IDisposable
{
    private static readonly MediaStackConfig Config = MediaStackConfig.Default with { TimeZone = "Etc/UTC" };
    private readonly string _folder = Directory.CreateTempSubdirectory("mediastack-edit-").FullName;

    private string Place(string text, string name = "deployment.yaml")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static FileEdit Run(string path, SidecarPlanOptions? options = null)
    {
        var target = Assert.Single(ManifestFiles.FindDeployments(path));
        var plan = SidecarPlanner.Plan(target.Deployment, Config, options);
        return ManifestFiles.Edit(target, plan.Operations);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AddsSidecarsToTheDeploymentDocumentInTheFileOwnStyle(bool crlf)
    {
        var path = Place(crlf ? Fixtures.Crlf(Fixtures.Bazarr4Space) : Fixtures.Bazarr4Space);
        var edit = Run(_folder);
        ManifestFiles.Write(edit);
        Assert.Equal(crlf ? Fixtures.Crlf(Fixtures.Bazarr4SpaceAdded) : Fixtures.Bazarr4SpaceAdded, File.ReadAllText(path));
        Assert.False(Run(path).Changed);
    }

    [Fact]
    public void RemoveRestoresTheFileByteForByte()
    {
        var path = Place(Fixtures.Bazarr4Space);
        ManifestFiles.Write(Run(path));
        ManifestFiles.Write(Run(path, new SidecarPlanOptions { Remove = true }));
        Assert.Equal(Fixtures.Bazarr4Space, File.ReadAllText(path));
    }

    [Fact]
    public void NativeModeInTheFile()
    {
        var path = Place(Fixtures.Bazarr4Space);
        ManifestFiles.Write(Run(path, new SidecarPlanOptions { Mode = SidecarMode.Native }));
        Assert.Equal(Fixtures.Bazarr4SpaceNative, File.ReadAllText(path));
    }

    // Flow style everywhere, as in the sandbox scenario: flow collections stay flow and only
    // the values that change are rewritten.
    private const string FlowSonarr = """
        # The app container lacks HostToContainer: its sidecars mount, it sees nothing.
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: sonarr
          namespace: media-stack
          labels: {app: sonarr, stack: hybrid-media}
        spec:
          replicas: 1
          strategy: {type: Recreate}
          selector:
            matchLabels: {app: sonarr}
          template:
            metadata:
              labels: {app: sonarr, stack: hybrid-media}
            spec:
              serviceAccountName: managers
              initContainers:
              - name: init-dirs
                image: docker.io/alpine:latest
                command: [/bin/sh, -c, "mkdir -p /mnt/media/zurg /mnt/media/torbox"]
                volumeMounts:
                - {name: media-storage, mountPath: /mnt/media}
              containers:
              - name: rclone-zurg
                image: docker.io/rclone/rclone:latest
                securityContext: {privileged: true}
                args: [mount, "zurg:", /mnt/media/zurg, --config=/config/rclone/rclone.conf, --allow-other, --dir-cache-time=10s, --rc, --rc-no-auth, --rc-addr=127.0.0.1:5572, --log-level=INFO]
                volumeMounts:
                - {name: media-storage, mountPath: /mnt/media, mountPropagation: Bidirectional}
                - {name: rclone-zurg-config, mountPath: /config/rclone, readOnly: true}
              - name: rclone-torbox
                image: docker.io/rclone/rclone:latest
                securityContext: {privileged: true}
                args: [mount, "torbox:", /mnt/media/torbox, --config=/config/rclone/rclone.conf, --allow-other, --dir-cache-time=10s, --rc, --rc-no-auth, --rc-addr=127.0.0.1:5573, --log-level=INFO]
                volumeMounts:
                - {name: media-storage, mountPath: /mnt/media, mountPropagation: Bidirectional}
                - {name: rclone-config, mountPath: /config/rclone, readOnly: true}
              - name: sonarr
                image: lscr.io/linuxserver/sonarr:latest
                ports:
                - {containerPort: 8989, name: http}
                volumeMounts:
                - {name: media-storage, mountPath: /config, subPath: config/sonarr}
                - {name: media-storage, mountPath: /mnt/media, mountPropagation: None}
              volumes:
              - name: media-storage
                persistentVolumeClaim: {claimName: media-library-pvc}
              - name: rclone-zurg-config
                secret: {secretName: rclone-zurg-config, defaultMode: 0400}
              - name: rclone-config
                secret: {secretName: rclone-config, defaultMode: 0400}

        """;

    [Fact]
    public void FlowStyleManifestsKeepTheirStyle()
    {
        var path = Place(FlowSonarr);
        var edit = Run(path);
        var removed = FlowSonarr.Split('\n').Except(edit.NewText.Split('\n')).ToList();
        Assert.Equal(
            [
                "        args: [mount, \"zurg:\", /mnt/media/zurg, --config=/config/rclone/rclone.conf, --allow-other, --dir-cache-time=10s, --rc, --rc-no-auth, --rc-addr=127.0.0.1:5572, --log-level=INFO]",
                "        args: [mount, \"torbox:\", /mnt/media/torbox, --config=/config/rclone/rclone.conf, --allow-other, --dir-cache-time=10s, --rc, --rc-no-auth, --rc-addr=127.0.0.1:5573, --log-level=INFO]",
                "        - {name: media-storage, mountPath: /mnt/media, mountPropagation: None}",
            ],
            removed);
        Assert.Contains("        - {name: media-storage, mountPath: /mnt/media, mountPropagation: HostToContainer}\n", edit.NewText);
        Assert.Contains("        args: [mount, \"zurg:\", /mnt/media/zurg, --config=/config/rclone/rclone.conf, --allow-other, --vfs-cache-mode=full, --poll-interval=10s, --dir-cache-time=10s, --attr-timeout=10s, --rc, --rc-no-auth, --rc-addr=127.0.0.1:5572, --log-level=INFO]\n", edit.NewText);
        ManifestFiles.Write(edit);
        Assert.False(Run(path).Changed);
    }

    [Fact]
    public void WritingKeepsTheByteOrderMarkAndThePermissions()
    {
        var path = Path.Combine(_folder, "deployment.yaml");
        File.WriteAllText(path, Fixtures.Bazarr4Space, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }

        ManifestFiles.Write(Run(path));

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Equal(Fixtures.Bazarr4SpaceAdded, new System.Text.UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        }
        Assert.Single(Directory.GetFiles(_folder));
    }

    [Fact]
    public void AUtf16CrlfFileFromWindowsPowerShellIsEditedInItsOwnEncoding()
    {
        // Out-File / > in Windows PowerShell 5.1: UTF-16LE with BOM; Notepad line ends.
        var path = Path.Combine(_folder, "deployment.yaml");
        var unicode = new System.Text.UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        var original = "# Zürich cluster, café\r\n" + Fixtures.Crlf(Fixtures.Bazarr4Space);
        File.WriteAllText(path, original, unicode);

        ManifestFiles.Write(Run(path));
        var added = File.ReadAllBytes(path);
        Assert.Equal(unicode.GetPreamble(), added[..2]);
        Assert.Equal("# Zürich cluster, café\r\n" + Fixtures.Crlf(Fixtures.Bazarr4SpaceAdded), unicode.GetString(added, 2, added.Length - 2));

        ManifestFiles.Write(Run(path, new SidecarPlanOptions { Remove = true }));
        Assert.Equal([.. unicode.GetPreamble(), .. unicode.GetBytes(original)], File.ReadAllBytes(path));
    }

    [Fact]
    public void ACp1252FileIsFileEncodingInvalidAndStaysByteForByte()
    {
        // Set-Content in Windows PowerShell 5.1 writes the ANSI code page.
        var path = Path.Combine(_folder, "deployment.yaml");
        var bytes = System.Text.Encoding.Latin1.GetBytes("# café\n" + Fixtures.Bazarr4Space);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<MediaStack.Core.Errors.MediaStackException>(() => Run(path));
        Assert.Equal("FileEncodingInvalid", error.ErrorId);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void AFileChangedAfterItWasReadIsNotOverwritten()
    {
        var path = Place(Fixtures.Bazarr4Space);
        var edit = Run(path);
        File.AppendAllText(path, "# added by someone else\n");

        var error = Assert.Throws<MediaStack.Core.Errors.MediaStackException>(() => ManifestFiles.Write(edit));
        Assert.Equal("PathNotWritable", error.ErrorId);
        Assert.EndsWith("# added by someone else\n", File.ReadAllText(path));
    }

    [Fact]
    public void AFolderIsSearchedForTheFileHoldingTheDeployment()
    {
        File.WriteAllText(Path.Combine(_folder, "kustomization.yaml"), "resources:\n- deployment.yaml\n");
        Place(Fixtures.Bazarr4Space);
        var found = Assert.Single(ManifestFiles.FindDeployments(_folder));
        Assert.Equal(Path.Combine(_folder, "deployment.yaml"), found.File);
        Assert.Equal(1, found.DocumentIndex);
    }

    [Fact]
    public void BadInputIsReportedAndNothingIsWritten()
    {
        var missing = Assert.Throws<MediaStack.Core.Errors.MediaStackException>(() => ManifestFiles.FindDeployments(Path.Combine(_folder, "nope")));
        Assert.Equal("ManifestPathNotFound", missing.ErrorId);

        var broken = Path.Combine(_folder, "broken.yaml");
        File.WriteAllText(broken, "kind: Deployment\nspec:\n  a: [1, 2\n  b: 3\n");
        var syntax = Assert.Throws<MediaStack.Core.Yaml.YamlSyntaxException>(() => ManifestFiles.FindDeployments(broken));
        Assert.True(syntax.Line >= 3);
        Assert.Contains("broken.yaml(", syntax.Message);

        var service = Path.Combine(_folder, "service.yaml");
        File.WriteAllText(service, "kind: Service\nmetadata: {name: x}\n");
        Assert.Equal("NoDeploymentInFile", Assert.Throws<MediaStack.Core.Errors.MediaStackException>(() => ManifestFiles.FindDeployments(service)).ErrorId);

        if (!OperatingSystem.IsWindows())
        {
            var path = Place(Fixtures.Bazarr4Space);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            var edit = Run(path);
            Assert.Equal("PathNotWritable", Assert.Throws<MediaStack.Core.Errors.MediaStackException>(() => ManifestFiles.Write(edit)).ErrorId);
            Assert.Equal(Fixtures.Bazarr4Space, File.ReadAllText(path));
            Assert.Single(Directory.GetFiles(_folder, "*deployment*"));
        }
    }

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
