namespace MediaStack.Core.Config;

// Whether the platform's IANA time zone database knows a zone id. A machine without one
// (a slim container with no tzdata) cannot tell: every well-formed id is taken there, so
// that the defaults (Etc/UTC) stay usable.
internal static class TimeZones
{
    private static readonly Lazy<bool> HasDatabase = new(() =>
    {
        try
        {
            return TimeZoneInfo.GetSystemTimeZones().Count > 1;
        }
        catch (Exception exception) when (exception is InvalidTimeZoneException or IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return false;
        }
    });

    public static bool IsKnown(string id)
    {
        // The ids every zoneinfo has, by their canonical names.
        if (id is "UTC" or "Etc/UTC")
        {
            return true;
        }
        try
        {
            // Linux and macOS look the id up by its file name, case-sensitively, as the
            // container will; Windows maps it through ICU and returns the IANA id asked for.
            if (TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
            {
                return string.Equals(zone.Id, id, StringComparison.Ordinal) || OperatingSystem.IsWindows();
            }
        }
        catch (Exception exception) when (exception is InvalidTimeZoneException or IOException or UnauthorizedAccessException or System.Security.SecurityException or ArgumentException)
        {
            return false;
        }
        return !HasDatabase.Value;
    }
}
