using System.Text;

namespace MediaStack.Core.Yaml.Editing;

// `diff -u` text of two versions of a file, three lines of context, for -WhatIf.
public static class UnifiedDiff
{
    private const int Context = 3;

    public static string Create(string before, string after, string oldName, string newName)
    {
        var a = SplitLines(before);
        var b = SplitLines(after);
        // Edits are local: only the middle that differs goes through the quadratic LCS.
        var prefix = 0;
        while (prefix < a.Count && prefix < b.Count && a[prefix] == b[prefix])
        {
            prefix++;
        }
        var suffix = 0;
        while (suffix < a.Count - prefix && suffix < b.Count - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }
        var lines = new List<(char Tag, string Text, int OldLine, int NewLine)>();
        for (var i = 0; i < prefix; i++)
        {
            lines.Add((' ', a[i], i, i));
        }
        lines.AddRange(Middle(a, b, prefix, a.Count - suffix, b.Count - suffix));
        for (var i = 0; i < suffix; i++)
        {
            lines.Add((' ', a[a.Count - suffix + i], a.Count - suffix + i, b.Count - suffix + i));
        }
        if (lines.All(line => line.Tag == ' '))
        {
            return "";
        }
        var text = new StringBuilder().Append("--- ").Append(oldName).Append('\n').Append("+++ ").Append(newName).Append('\n');
        var index = 0;
        while (index < lines.Count)
        {
            var change = lines.FindIndex(index, line => line.Tag != ' ');
            if (change < 0)
            {
                break;
            }
            var start = Math.Max(index, change - Context);
            var end = change;
            // A hunk runs until more than 2 * Context unchanged lines follow a change.
            while (end < lines.Count)
            {
                var next = lines.FindIndex(end, line => line.Tag != ' ');
                if (next < 0 || next - end > 2 * Context)
                {
                    break;
                }
                end = next + 1;
                while (end < lines.Count && lines[end].Tag != ' ')
                {
                    end++;
                }
            }
            end = Math.Min(lines.Count, end + Context);
            var hunk = lines.GetRange(start, end - start);
            var oldCount = hunk.Count(line => line.Tag != '+');
            var newCount = hunk.Count(line => line.Tag != '-');
            var oldStart = hunk.First().OldLine + (oldCount == 0 ? 0 : 1);
            var newStart = hunk.First().NewLine + (newCount == 0 ? 0 : 1);
            text.Append($"@@ -{oldStart},{oldCount} +{newStart},{newCount} @@\n");
            foreach (var line in hunk)
            {
                text.Append(line.Tag).Append(line.Text.TrimEnd('\r')).Append('\n');
            }
            index = end;
        }
        return text.ToString();
    }

    private static List<(char, string, int, int)> Middle(IReadOnlyList<string> a, IReadOnlyList<string> b, int from, int aEnd, int bEnd)
    {
        var n = aEnd - from;
        var m = bEnd - from;
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = a[from + i] == b[from + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var result = new List<(char, string, int, int)>();
        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[from + x] == b[from + y])
            {
                result.Add((' ', a[from + x], from + x, from + y));
                x++;
                y++;
            }
            else if (y < m && (x == n || lcs[x, y + 1] > lcs[x + 1, y]))
            {
                result.Add(('+', b[from + y], from + x, from + y));
                y++;
            }
            else
            {
                result.Add(('-', a[from + x], from + x, from + y));
                x++;
            }
        }
        return result;
    }

    private static List<string> SplitLines(string text)
    {
        var lines = text.Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        return lines;
    }
}
