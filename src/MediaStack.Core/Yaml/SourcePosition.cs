namespace MediaStack.Core.Yaml;

// A place in a manifest file: 1-based line and column, as editors and CI annotations take it.
public readonly record struct SourcePosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
