namespace MediaStack.Core.Config;

// Named starting points for a config. Neutral is the built-in default; Seed is the seed
// toolkit's own cluster (its preferred nodes and stack label), for stacks made with it.
public enum MediaStackPreset
{
    Neutral,
    Seed,
}

public static class MediaStackPresets
{
    public static MediaStackConfig Get(MediaStackPreset preset) => preset switch
    {
        MediaStackPreset.Seed => MediaStackConfig.Default with
        {
            PreferredNodes = ["wow-ocp-node2", "wow-ocp-node3"],
            StackLabel = "hybrid-media",
        },
        _ => MediaStackConfig.Default,
    };
}
