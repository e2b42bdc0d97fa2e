using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using MediaStack.Core.Errors;

namespace MediaStack.Core.Manifests;

// A Kubernetes resource quantity ("500m", "2", "512Mi", "1G"), held exactly in
// nano-units and printed in the canonical form the API server would store:
// "2000m" -> "2", "0.5" -> "500m", "2048Mi" -> "2Gi", "1000M" -> "1G".
public sealed partial class Quantity : IComparable<Quantity>, IEquatable<Quantity>
{
    private enum Format { DecimalSI, BinarySI, DecimalExponent }

    private static readonly BigInteger NanosPerUnit = BigInteger.Pow(10, 9);
    private static readonly string[] BinarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
    private static readonly (string Suffix, int Exponent)[] DecimalSuffixes =
        [("E", 18), ("P", 15), ("T", 12), ("G", 9), ("M", 6), ("k", 3), ("", 0), ("m", -3), ("u", -6), ("n", -9)];

    private readonly BigInteger _nanos;
    private readonly Format _format;

    private Quantity(BigInteger nanos, Format format)
    {
        _nanos = nanos;
        _format = format;
    }

    public static Quantity Parse(string? text, string field = "quantity")
    {
        if (TryParse(text, out var quantity))
        {
            return quantity;
        }
        throw new MediaStackException(
            ErrorIds.InvalidQuantity,
            ErrorCategory.InvalidArgument,
            $"{field} '{text}' is not a valid Kubernetes quantity.",
            target: text,
            recommendedAction: "Use a quantity like 500m or 2 for CPU and 512Mi or 2Gi for memory.");
    }

    public static bool TryParse(string? text, out Quantity quantity)
    {
        quantity = null!;
        var match = text is null ? Match.Empty : Grammar().Match(text);
        if (!match.Success)
        {
            return false;
        }
        var number = match.Groups["number"].Value;
        var suffix = match.Groups["suffix"].Value;
        var point = number.IndexOf('.');
        var digits = point < 0 ? number : number.Remove(point, 1);
        var scale = point < 0 ? 0 : number.Length - point - 1;
        var numerator = BigInteger.Parse(digits, CultureInfo.InvariantCulture) * NanosPerUnit;
        var denominator = BigInteger.Pow(10, scale);

        Format format;
        var binary = Array.IndexOf(BinarySuffixes, suffix);
        if (binary > 0)
        {
            format = Format.BinarySI;
            numerator *= BigInteger.Pow(1024, binary);
        }
        else if (suffix.StartsWith('e') || suffix.StartsWith('E'))
        {
            format = Format.DecimalExponent;
            if (!int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent) || Math.Abs(exponent) > 30)
            {
                return false;
            }
            if (exponent >= 0)
            {
                numerator *= BigInteger.Pow(10, exponent);
            }
            else
            {
                denominator *= BigInteger.Pow(10, -exponent);
            }
        }
        else
        {
            var known = DecimalSuffixes.FirstOrDefault(entry => entry.Suffix == suffix);
            if (known.Suffix is null)
            {
                return false;
            }
            format = Format.DecimalSI;
            if (known.Exponent >= 0)
            {
                numerator *= BigInteger.Pow(10, known.Exponent);
            }
            else
            {
                denominator *= BigInteger.Pow(10, -known.Exponent);
            }
        }
        // Like the API server: precision below one nano-unit is rounded up.
        var nanos = BigInteger.DivRem(numerator, denominator, out var remainder);
        if (!remainder.IsZero)
        {
            nanos += 1;
        }
        quantity = new Quantity(nanos, format);
        return true;
    }

    public string Canonical => ToString();

    // The value in whole units (bytes for memory), rounded up.
    public BigInteger Units => BigInteger.DivRem(_nanos, NanosPerUnit, out var rest) + (rest.IsZero ? 0 : 1);

    public override string ToString()
    {
        if (_nanos.IsZero)
        {
            return "0";
        }
        if (_format == Format.BinarySI && _nanos >= 1024 * NanosPerUnit && (_nanos % NanosPerUnit).IsZero)
        {
            var bytes = _nanos / NanosPerUnit;
            for (var power = BinarySuffixes.Length - 1; power >= 0; power--)
            {
                var unit = BigInteger.Pow(1024, power);
                if ((bytes % unit).IsZero)
                {
                    return (bytes / unit).ToString(CultureInfo.InvariantCulture) + BinarySuffixes[power];
                }
            }
        }
        foreach (var (suffix, exponent) in DecimalSuffixes)
        {
            var unit = BigInteger.Pow(10, exponent + 9);
            if ((_nanos % unit).IsZero)
            {
                var mantissa = (_nanos / unit).ToString(CultureInfo.InvariantCulture);
                if (_format == Format.DecimalExponent)
                {
                    return exponent == 0 ? mantissa : mantissa + "e" + exponent.ToString(CultureInfo.InvariantCulture);
                }
                return mantissa + suffix;
            }
        }
        throw new InvalidOperationException("A quantity is always a whole number of nano-units.");
    }

    public int CompareTo(Quantity? other) => other is null ? 1 : _nanos.CompareTo(other._nanos);

    public bool Equals(Quantity? other) => other is not null && _nanos == other._nanos;

    public override bool Equals(object? obj) => obj is Quantity other && Equals(other);

    public override int GetHashCode() => _nanos.GetHashCode();

    public static bool operator <=(Quantity left, Quantity right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Quantity left, Quantity right) => left.CompareTo(right) >= 0;

    public static bool operator <(Quantity left, Quantity right) => left.CompareTo(right) < 0;

    public static bool operator >(Quantity left, Quantity right) => left.CompareTo(right) > 0;

    // Non-negative only: requests and limits cannot be negative.
    [GeneratedRegex(@"^\+?(?<number>[0-9]+(\.[0-9]*)?|\.[0-9]+)(?<suffix>[eE][-+]?[0-9]+|[KMGTPE]i|[numkMGTPE]?)$")]
    private static partial Regex Grammar();
}
