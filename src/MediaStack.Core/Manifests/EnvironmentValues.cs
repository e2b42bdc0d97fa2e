using System.Globalization;
using System.Numerics;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Manifests;

// Extra environment variables as given (-Environment @{ PUID = 1000 }): a value is text, so
// only scalars are taken; a table or a list would be written as its .NET type name.
public static class EnvironmentValues
{
    public static IReadOnlyDictionary<string, string> From(IEnumerable<KeyValuePair<string, object?>> entries)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in entries)
        {
            var text = value switch
            {
                null => "",
                string or char or bool or Enum => value.ToString()!,
                BigInteger or decimal or double or float or long or ulong or int or uint or short or ushort or byte or sbyte
                    => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
                _ => throw new MediaStackException(
                    ErrorIds.InvalidEnvironment, ErrorCategory.InvalidArgument,
                    $"The value of environment variable '{name}' is a {value.GetType().Name}, not text or a number.",
                    name, "Give each variable a string or a number, e.g. -Environment @{ PUID = 1000; WEBUI_PORT = '8080' }."),
            };
            if (!values.TryAdd(name, text))
            {
                throw new MediaStackException(
                    ErrorIds.InvalidEnvironment, ErrorCategory.InvalidArgument,
                    $"The environment variable '{name}' is given twice.", name, "Give each variable once.");
            }
        }
        return values;
    }
}
