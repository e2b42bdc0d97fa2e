using MediaStack.Core.Config;

namespace MediaStack.Core.Manifests;

// How much an app needs, for its default requests and limits: indexers, subtitle fetchers
// and request front-ends idle most of the time; *arr managers import and rename; media
// servers transcode.
public enum AppClass
{
    Light,
    Standard,
    MediaServer,
}

public static class AppClasses
{
    private static readonly HashSet<string> MediaServers = new(StringComparer.OrdinalIgnoreCase)
    {
        "plex", "pms-docker", "jellyfin", "emby", "embyserver",
    };

    private static readonly HashSet<string> Light = new(StringComparer.OrdinalIgnoreCase)
    {
        "prowlarr", "jackett", "bazarr", "overseerr", "jellyseerr", "ombi", "requestrr", "tautulli",
        "flaresolverr", "recyclarr", "notifiarr", "homepage", "homarr", "organizr",
    };

    // By the image's last path component, else the app's name; Standard when neither is known.
    public static AppClass Of(string name, string image)
    {
        var repository = ImageReference.Name(image);
        var last = repository[(repository.LastIndexOf('/') + 1)..];
        foreach (var candidate in new[] { last, name })
        {
            if (MediaServers.Contains(candidate))
            {
                return AppClass.MediaServer;
            }
            if (Light.Contains(candidate))
            {
                return AppClass.Light;
            }
        }
        return AppClass.Standard;
    }

    public static ResourceSpec ResourcesFor(this MediaStackConfig config, AppClass appClass) => appClass switch
    {
        AppClass.Light => config.LightAppResources,
        AppClass.MediaServer => config.MediaServerResources,
        _ => config.AppResources,
    };
}
