namespace MediaStack.Core.Yaml.Editing;

// Line arithmetic on the original text, so edits cut whole lines and keep line breaks.
internal static class TextSpans
{
    public static int LineStart(string text, int index)
    {
        var newline = index == 0 ? -1 : text.LastIndexOf('\n', index - 1);
        return newline + 1;
    }

    // Just past the line break that ends the line holding index (or the end of the text).
    public static int NextLineStart(string text, int index)
    {
        var newline = text.IndexOf('\n', index);
        return newline < 0 ? text.Length : newline + 1;
    }

    // The line starting at index holds nothing but whitespace.
    public static bool IsBlankLine(string text, int index)
    {
        var end = NextLineStart(text, index);
        return end > index && text.AsSpan(index, end - index).Trim().Length == 0;
    }

    public static bool OnlySpacesBefore(string text, int index)
    {
        for (var i = LineStart(text, index); i < index; i++)
        {
            if (text[i] != ' ')
            {
                return false;
            }
        }
        return true;
    }

    // Comment lines right above index (no blank line between) travel with what follows them.
    public static int StartOfLeadingComments(string text, int lineStart)
    {
        var start = lineStart;
        while (start > 0)
        {
            var previous = LineStart(text, start - 1);
            if (!text[previous..start].TrimStart().StartsWith('#'))
            {
                break;
            }
            start = previous;
        }
        return start;
    }
}
