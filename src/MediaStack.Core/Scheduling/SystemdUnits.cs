using System.Globalization;

namespace MediaStack.Core.Scheduling;

// A oneshot service that runs the check and a timer that starts it every interval (the
// first run a minute after the timer starts). A run that exits non-zero (unhealthy,
// unreachable) leaves the service "failed" in systemctl, so OnFailure= and
// `systemctl --failed` see it too.
public static class SystemdUnits
{
    public static string ServiceName(string name) => $"mediastack-check-{name}.service";

    public static string TimerName(string name) => $"mediastack-check-{name}.timer";

    // ~/.config/systemd/user ($XDG_CONFIG_HOME) for the user manager, /etc/systemd/system for
    // the system one.
    public static string Folder(CheckScope scope)
    {
        if (scope == CheckScope.AllUsers)
        {
            return "/etc/systemd/system";
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var config = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config, "systemd", "user");
    }

    public static string Service(string name, string what, IReadOnlyList<string> argv, TimeSpan timeout) => $"""
        [Unit]
        Description=MediaStack check '{name}': {what}
        Documentation=https://github.com/mediastack/MediaStack.PowerShell
        Wants=network-online.target
        After=network-online.target

        [Service]
        Type=oneshot
        # Exit codes: 0 healthy, 1 unhealthy, 2 cluster unreachable or unauthorised, 3 bad arguments or config.
        ExecStart={CommandLines.Systemd(argv)}
        TimeoutStartSec={Span(timeout)}
        Nice=10

        """;

    public static string Timer(string name, TimeSpan interval) => $"""
        [Unit]
        Description=Run the MediaStack check '{name}' every {Span(interval)}

        [Timer]
        OnActiveSec=1min
        OnUnitActiveSec={Span(interval)}
        AccuracySec=15s
        Unit={ServiceName(name)}

        [Install]
        WantedBy=timers.target

        """;

    // systemd time spans: "15min", "2h", "90s".
    public static string Span(TimeSpan span)
    {
        var seconds = (long)span.TotalSeconds;
        return seconds % 3600 == 0 ? $"{seconds / 3600}h"
            : seconds % 60 == 0 ? $"{(seconds / 60).ToString(CultureInfo.InvariantCulture)}min"
            : $"{seconds}s";
    }
}
