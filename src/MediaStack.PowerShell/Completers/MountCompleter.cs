using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using MediaStack.Core.Config;

namespace MediaStack.PowerShell.Completers;

// -Mount: the names of the configured rclone mounts (zurg, torbox ...), from the saved config.
public sealed class MountCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var mounts = MediaStackConfigStore.LoadOrDefault(null, out _).Mounts;
        return ClusterCompletion.Match(mounts.Select(mount => mount.Name), wordToComplete ?? "");
    }
}
