using System.Text;
using MediaStack.Core.Errors;
using MediaStack.Core.Files;

namespace MediaStack.Core.Tests.Files;

// Files as Windows tools save them, made byte for byte here: what Windows PowerShell 5.1's
// Out-File/> (UTF-16LE with BOM), Set-Content (the ANSI code page, 1252 in western Europe),
// -Encoding UTF8 (UTF-8 with BOM) and Notepad (CRLF) write.
public sealed class TextFileTests : IDisposable
{
    private const string Manifest = "# café: kept as is\napiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 1\n";

    private readonly string _folder = Directory.CreateTempSubdirectory("mediastack-textfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // Code pages: 65001 UTF-8, 1200/1201 UTF-16LE/BE, 12000/12001 UTF-32LE/BE.
    public static TheoryData<int, bool, string> Formats() => new()
    {
        { 65001, false, "\n" },
        { 65001, true, "\r\n" },
        { 1200, true, "\r\n" },
        { 1201, true, "\n" },
        { 12000, true, "\r\n" },
        { 12001, true, "\n" },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_file_reads_in_its_encoding_and_an_edit_writes_it_back_the_same_way(int codePage, bool bom, string newLine)
    {
        var encoding = Encoding.GetEncoding(codePage);
        var original = Manifest.ReplaceLineEndings(newLine);
        var file = WriteBytes("deployment.yaml", Bytes(encoding, bom, original));

        var read = TextFile.Read(file);
        Assert.Equal(original, read.Text);
        Assert.Equal(bom, read.Format.ByteOrderMark);
        Assert.Equal(newLine, read.Format.NewLine);

        var edited = read.Text.Replace("replicas: 1", "replicas: 2", StringComparison.Ordinal);
        TextFile.Write(file, edited, read.Format);
        Assert.Equal(Bytes(encoding, bom, edited), File.ReadAllBytes(file));
        Assert.Equal([Path.GetFileName(file)], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void A_cp1252_file_is_FileEncodingInvalid_naming_offset_and_line()
    {
        // "café" in a comment on line 2, as Windows PowerShell 5.1's Set-Content saves it.
        var bytes = Encoding.Latin1.GetBytes("apiVersion: v1\n# caf\u00e9\nkind: Service\n");
        var file = WriteBytes("service.yaml", bytes);

        var error = Assert.Throws<MediaStackException>(() => TextFile.Read(file));

        Assert.Equal(ErrorIds.FileEncodingInvalid, error.ErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.Category);
        Assert.Contains("byte 0xE9 at offset 20 (line 2)", error.Message);
        Assert.Contains("1252", error.Message + error.RecommendedAction);
        Assert.Equal(file, error.Target);
        Assert.Equal(bytes, File.ReadAllBytes(file));
    }

    [Fact]
    public void UTF16_without_a_byte_order_mark_is_FileEncodingInvalid_not_text_with_NULs()
    {
        var file = WriteBytes("config", Encoding.Unicode.GetBytes("apiVersion: v1\n"));

        var error = Assert.Throws<MediaStackException>(() => TextFile.Read(file));
        Assert.Equal(ErrorIds.FileEncodingInvalid, error.ErrorId);
        Assert.Contains("without a byte-order mark", error.Message);
    }

    [Fact]
    public void A_truncated_UTF16_file_is_FileEncodingInvalid()
    {
        var bytes = Bytes(Encoding.Unicode, true, "kind: Service\n").Append((byte)0x41).ToArray();
        var file = WriteBytes("odd.yaml", bytes);

        Assert.Equal(ErrorIds.FileEncodingInvalid, Assert.Throws<MediaStackException>(() => TextFile.Read(file)).ErrorId);
    }

    [Fact]
    public void A_folder_is_FileReadFailed_saying_it_is_a_folder()
    {
        var error = Assert.Throws<MediaStackException>(() => TextFile.Read(_folder));
        Assert.Equal(ErrorIds.FileReadFailed, error.ErrorId);
        Assert.Contains("is a folder", error.Message);
    }

    [Fact]
    public void The_first_line_break_decides_the_new_line_of_a_file()
    {
        Assert.Equal("\r\n", TextFile.NewLineOf("a\r\nb\nc"));
        Assert.Equal("\n", TextFile.NewLineOf("a\nb\r\nc"));
        Assert.Equal("\n", TextFile.NewLineOf("single line"));
    }

    [Fact]
    public void Writing_creates_a_missing_file_in_the_default_format()
    {
        var file = Path.Combine(_folder, "new.yaml");

        TextFile.Write(file, "a: é\n", TextFormat.Default);

        Assert.Equal(Encoding.UTF8.GetBytes("a: é\n"), File.ReadAllBytes(file));
        Assert.Equal(TextFormat.Default, TextFile.FormatOf(file));
        Assert.Equal(TextFormat.Default, TextFile.FormatOf(Path.Combine(_folder, "missing")));
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Writing_through_a_symbolic_link_replaces_its_target_and_keeps_the_link_and_permissions()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need a privilege on Windows");
        var real = WriteBytes("real.yaml", Encoding.UTF8.GetBytes("a: 1\n"));
        File.SetUnixFileMode(real, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var link = Path.Combine(_folder, "link.yaml");
        File.CreateSymbolicLink(link, real);

        TextFile.Write(link, "a: 2\n", TextFormat.Default);

        Assert.Equal("a: 2\n", File.ReadAllText(real));
        Assert.Equal(real, new FileInfo(link).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(real));
    }

    [Fact]
    public void Writing_into_a_missing_folder_is_PathNotWritable_and_leaves_nothing()
    {
        var file = Path.Combine(_folder, "absent", "x.yaml");

        var error = Assert.Throws<MediaStackException>(() => TextFile.Write(file, "a: 1\n", TextFormat.Default));
        Assert.Equal(ErrorIds.PathNotWritable, error.ErrorId);
        Assert.Contains(file, error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    private string WriteBytes(string name, byte[] bytes)
    {
        var file = Path.Combine(_folder, name);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    private static byte[] Bytes(Encoding encoding, bool bom, string text) =>
        [.. bom ? encoding.GetPreamble() : [], .. encoding.GetBytes(text)];
}
