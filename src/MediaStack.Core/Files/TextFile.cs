using System.Text;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Files;

public enum TextEncoding
{
    Utf8,
    Utf16LittleEndian,
    Utf16BigEndian,
    Utf32LittleEndian,
    Utf32BigEndian,
}

// How a text file is stored: what an edit must keep so that the untouched bytes stay as
// they were. NewLine is the file's first line break (for text added to it); the text itself
// keeps whatever line ends it has.
public sealed record TextFormat(TextEncoding Encoding, bool ByteOrderMark, string NewLine)
{
    // What MediaStack writes when it creates a file: UTF-8 without BOM, LF.
    public static TextFormat Default { get; } = new(TextEncoding.Utf8, false, "\n");

    public string EncodingName => Encoding switch
    {
        TextEncoding.Utf16LittleEndian => "UTF-16LE",
        TextEncoding.Utf16BigEndian => "UTF-16BE",
        TextEncoding.Utf32LittleEndian => "UTF-32LE",
        TextEncoding.Utf32BigEndian => "UTF-32BE",
        _ => ByteOrderMark ? "UTF-8 with BOM" : "UTF-8",
    };
}

public sealed record TextFileContent(string Path, string Text, TextFormat Format);

// Every user file MediaStack reads or writes (manifests, the config, kubeconfigs) goes
// through here. Reading: UTF-8 with or without BOM, UTF-16 and UTF-32 by their BOM (what
// Windows PowerShell 5.1 writes); bytes that are not valid in that encoding are an error,
// never replacement characters. Writing: the same encoding, BOM and text, into a temp file
// next to the target, then one atomic replace, retried while Windows reports the file busy.
public static class TextFile
{
    public static TextFileContent Read(string path)
    {
        if (Directory.Exists(path))
        {
            throw new MediaStackException(ErrorIds.FileReadFailed, ErrorCategory.ReadError,
                $"'{path}' is a folder, not a file.", path, "Pass the path of a file.");
        }
        byte[] bytes;
        try
        {
            bytes = FileRetry.Run(path, () => File.ReadAllBytes(path));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new MediaStackException(ErrorIds.FileReadFailed, ErrorCategory.ReadError,
                $"'{path}' cannot be read: {exception.Message}", path, "Check that the file exists and that this account may read it.", exception);
        }
        return Decode(bytes, path);
    }

    public static string ReadText(string path) => Read(path).Text;

    public static TextFileContent Decode(byte[] bytes, string path)
    {
        var (encoding, bom) = Detect(bytes);
        var format = new TextFormat(encoding, bom.Length > 0, "\n");
        var strict = Strict(encoding);
        string text;
        try
        {
            text = strict.GetString(bytes, bom.Length, bytes.Length - bom.Length);
        }
        catch (DecoderFallbackException exception)
        {
            throw Undecodable(path, bytes, bom.Length, format, exception);
        }
        if (text.Contains('\0'))
        {
            var line = text[..text.IndexOf('\0')].Count(c => c == '\n') + 1;
            throw new MediaStackException(ErrorIds.FileEncodingInvalid, ErrorCategory.InvalidData,
                $"'{path}' holds NUL characters (line {line}) when read as {format.EncodingName}: it is probably UTF-16 or UTF-32 without a byte-order mark. Nothing was changed.",
                path, ConvertAdvice(path, "Unicode"));
        }
        return new TextFileContent(path, text, format with { NewLine = NewLineOf(text) });
    }

    // The format of an existing file, or the default for a new or unreadable one (callers
    // that replace a file wholesale need no more).
    public static TextFormat FormatOf(string path)
    {
        try
        {
            return File.Exists(path) ? Read(path).Format : TextFormat.Default;
        }
        catch (MediaStackException)
        {
            return TextFormat.Default;
        }
    }

    // Replaces (or creates) the file with text in the given format, atomically: readers see
    // the old file or the new one, never half of it. A symbolic link is followed, so the file
    // it points to is replaced and the link stays. Permissions of a replaced file are kept.
    public static void Write(string path, string text, TextFormat format)
    {
        var target = FinalTarget(path);
        var bytes = Encode(text, format, target);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            if (File.Exists(target))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temp, File.GetUnixFileMode(target));
                }
                FileRetry.Run(target, () => File.Replace(temp, target, null, ignoreMetadataErrors: true));
            }
            else
            {
                FileRetry.Run(target, () => File.Move(temp, target));
            }
        }
        catch (MediaStackException)
        {
            TryDelete(temp);
            throw;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new MediaStackException(ErrorIds.PathNotWritable, ErrorCategory.WriteError,
                $"Could not write '{target}': {exception.Message} Nothing was changed.", target,
                "Check that the folder exists and that this account may write there.", exception);
        }
    }

    // The line break a file uses: its first one; LF when it has none.
    public static string NewLineOf(string text)
    {
        var lf = text.IndexOf('\n');
        return lf > 0 && text[lf - 1] == '\r' ? "\r\n" : "\n";
    }

    private static (TextEncoding, byte[] Bom) Detect(byte[] bytes)
    {
        // UTF-32LE's mark starts like UTF-16LE's: test the longer one first.
        ReadOnlySpan<byte> span = bytes;
        if (span.StartsWith((byte[])[0xFF, 0xFE, 0x00, 0x00]))
        {
            return (TextEncoding.Utf32LittleEndian, [0xFF, 0xFE, 0x00, 0x00]);
        }
        if (span.StartsWith((byte[])[0x00, 0x00, 0xFE, 0xFF]))
        {
            return (TextEncoding.Utf32BigEndian, [0x00, 0x00, 0xFE, 0xFF]);
        }
        if (span.StartsWith((byte[])[0xEF, 0xBB, 0xBF]))
        {
            return (TextEncoding.Utf8, [0xEF, 0xBB, 0xBF]);
        }
        if (span.StartsWith((byte[])[0xFF, 0xFE]))
        {
            return (TextEncoding.Utf16LittleEndian, [0xFF, 0xFE]);
        }
        if (span.StartsWith((byte[])[0xFE, 0xFF]))
        {
            return (TextEncoding.Utf16BigEndian, [0xFE, 0xFF]);
        }
        return (TextEncoding.Utf8, []);
    }

    // Strict: throws on bytes (or, writing, characters) it cannot represent, instead of
    // substituting replacement characters.
    private static Encoding Strict(TextEncoding encoding) => Create(encoding, strict: true);

    private static Encoding Create(TextEncoding encoding, bool strict) => encoding switch
    {
        TextEncoding.Utf16LittleEndian => new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: strict),
        TextEncoding.Utf16BigEndian => new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: strict),
        TextEncoding.Utf32LittleEndian => new UTF32Encoding(bigEndian: false, byteOrderMark: true, throwOnInvalidCharacters: strict),
        TextEncoding.Utf32BigEndian => new UTF32Encoding(bigEndian: true, byteOrderMark: true, throwOnInvalidCharacters: strict),
        _ => new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: strict),
    };

    private static byte[] Encode(string text, TextFormat format, string path)
    {
        var encoding = Strict(format.Encoding);
        try
        {
            var body = encoding.GetBytes(text);
            return format.ByteOrderMark ? [.. encoding.GetPreamble(), .. body] : body;
        }
        catch (EncoderFallbackException exception)
        {
            throw new MediaStackException(ErrorIds.FileEncodingInvalid, ErrorCategory.InvalidData,
                $"The new text of '{path}' cannot be written as {format.EncodingName}: {exception.Message} Nothing was changed.", path, innerException: exception);
        }
    }

    private static MediaStackException Undecodable(string path, byte[] bytes, int start, TextFormat format, DecoderFallbackException exception)
    {
        // Index counts from the start of the decoded range; the text before it gives the line.
        var offset = Math.Clamp(start + exception.Index, start, bytes.Length);
        var line = Create(format.Encoding, strict: false).GetString(bytes, start, offset - start).Count(c => c == '\n') + 1;
        var bad = offset < bytes.Length ? $"byte 0x{bytes[offset]:X2}" : "an incomplete character";
        var hint = format.Encoding == TextEncoding.Utf8 && !format.ByteOrderMark
            ? " It is probably saved in a legacy code page such as Windows-1252 (what Windows PowerShell 5.1 writes by default)."
            : "";
        return new MediaStackException(ErrorIds.FileEncodingInvalid, ErrorCategory.InvalidData,
            $"'{path}' is not valid {format.EncodingName}: {bad} at offset {offset} (line {line}).{hint} Nothing was changed.",
            path, ConvertAdvice(path, "1252"), exception);
    }

    private static string ConvertAdvice(string path, string sourceEncoding)
    {
        var quoted = "'" + path.Replace("'", "''") + "'";
        return $"Save the file as UTF-8, e.g. in PowerShell 7: $text = Get-Content -Raw -Encoding {sourceEncoding} {quoted}; Set-Content -NoNewline -Encoding utf8NoBOM {quoted} $text";
    }

    private static string FinalTarget(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return path;
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A stray temp file is hidden (dot name) and never read as a manifest.
        }
    }
}
