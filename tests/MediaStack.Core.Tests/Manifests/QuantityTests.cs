using MediaStack.Core.Errors;
using MediaStack.Core.Manifests;

namespace MediaStack.Core.Tests.Manifests;

public class QuantityTests
{
    [Theory]
    [InlineData("2000m", "2")]
    [InlineData("0.5", "500m")]
    [InlineData("1.5", "1500m")]
    [InlineData("1500m", "1500m")]
    [InlineData("100m", "100m")]
    [InlineData("1000", "1k")]
    [InlineData("0", "0")]
    [InlineData("512Mi", "512Mi")]
    [InlineData("2048Mi", "2Gi")]
    [InlineData("1.5Gi", "1536Mi")]
    [InlineData("0.5Gi", "512Mi")]
    [InlineData("512", "512")]
    [InlineData("1G", "1G")]
    [InlineData("1000M", "1G")]
    [InlineData("1e3", "1e3")]
    [InlineData("1000e3", "1e6")]
    [InlineData("+4", "4")]
    [InlineData("0.0001", "100u")]
    public void CanonicalFormMatchesTheApiServer(string text, string canonical)
    {
        Assert.Equal(canonical, Quantity.Parse(text).Canonical);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("1.2.3")]
    [InlineData("-1")]
    [InlineData("1Xi")]
    [InlineData("1 Gi")]
    [InlineData("m")]
    [InlineData("1gi")]
    [InlineData("1Ki1")]
    public void MalformedQuantitiesAreInvalidQuantity(string text)
    {
        var error = Assert.Throws<MediaStackException>(() => Quantity.Parse(text, "CpuRequest"));

        Assert.Equal("InvalidQuantity", error.ErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.Category);
        Assert.Contains("CpuRequest", error.Message);
    }

    [Theory]
    [InlineData("500m", "0.5", 0)]
    [InlineData("2", "2000m", 0)]
    [InlineData("1Gi", "1G", 1)]
    [InlineData("999Mi", "1Gi", -1)]
    [InlineData("100m", "1", -1)]
    public void ComparesExactValues(string left, string right, int sign)
    {
        Assert.Equal(sign, Math.Sign(Quantity.Parse(left).CompareTo(Quantity.Parse(right))));
    }
}
