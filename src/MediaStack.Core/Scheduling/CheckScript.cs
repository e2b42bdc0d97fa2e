using System.Globalization;
using System.Text;

namespace MediaStack.Core.Scheduling;

// The PowerShell script a scheduled check runs (pwsh -File <script>): imports the module
// by its path, runs Invoke-MediaStackCheck with the registered parameters and exits with
// its ExitCode. Anything that stops it before a summary exists (the module missing, a bad
// parameter) exits 3, as documented; a summary is never missing silently. Values are
// PowerShell literals; the notify URI, which may itself be a secret, is read from an
// owner-only file, so neither this script nor any unit or cron line holds it.
public static class CheckScript
{
    public static string Render(string name, string modulePath, IReadOnlyList<KeyValuePair<string, object>> parameters, string? notifyFile, DateTimeOffset written, string? kubeConfigVariable = null)
    {
        var text = new StringBuilder();
        text.Append("# MediaStack scheduled check '").Append(name).Append("', written by Register-MediaStackCheck on ")
            .Append(written.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append(".\n");
        text.Append("# Exit codes: 0 healthy, 1 unhealthy, 2 cluster unreachable or unauthorised, 3 bad arguments or config.\n");
        text.Append("# Change it with Register-MediaStackCheck -Name ").Append(name).Append(" (this file is rewritten).\n");
        text.Append("trap { [Console]::Error.WriteLine(\"MediaStack check '").Append(name).Append("' could not run: $_\"); exit 3 }\n");
        text.Append("$ProgressPreference = 'SilentlyContinue'\n");
        if (kubeConfigVariable is not null)
        {
            // Several kubeconfig files, merged as kubectl does: the same list as at registration.
            text.Append("$env:KUBECONFIG = ").Append(CommandLines.PowerShell(kubeConfigVariable)).Append('\n');
        }
        text.Append("Import-Module -Name ").Append(CommandLines.PowerShell(modulePath)).Append(" -ErrorAction Stop\n");
        text.Append("$check = @{\n");
        foreach (var (parameter, value) in parameters)
        {
            text.Append("    ").Append(parameter).Append(" = ").Append(Literal(value)).Append('\n');
        }
        if (notifyFile is not null)
        {
            text.Append("    NotifyUri = [uri](Get-Content -LiteralPath ").Append(CommandLines.PowerShell(notifyFile)).Append(" -Raw -ErrorAction Stop).Trim()\n");
        }
        text.Append("}\n");
        text.Append("$summary = Invoke-MediaStackCheck @check\n");
        text.Append("if ($null -eq $summary) { exit 3 }\n");
        text.Append("exit $summary.ExitCode\n");
        return text.ToString();
    }

    public static string Literal(object value) => value switch
    {
        bool flag => flag ? "$true" : "$false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        TimeSpan span => CommandLines.PowerShell(span.ToString("c", CultureInfo.InvariantCulture)),
        Enum choice => CommandLines.PowerShell(choice.ToString()),
        IEnumerable<string> list => "@(" + string.Join(", ", list.Select(CommandLines.PowerShell)) + ")",
        _ => CommandLines.PowerShell(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };
}
